/**
 * Scoring: segmentation (Dice, NSD, HD95 on an exact Euclidean distance transform),
 * classification (AUROC, accuracy, balanced accuracy, F1, average precision) and regression
 * (MAE, Pearson r) metrics, their aggregation with bootstrap confidence intervals, paired
 * permutation tests and FOMO25-style ranking. Everything takes plain arrays; nothing here
 * knows of models, files or the records. The conventions are published in docs/metrics.md.
 */
package org.brainfm.metrics;
