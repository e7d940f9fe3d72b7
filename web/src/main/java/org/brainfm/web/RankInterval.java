package org.brainfm.web;

/** The 95 % interval of an entry's overall position over bootstrap resamples of every task's cases. */
public record RankInterval(double low, double high) {}
