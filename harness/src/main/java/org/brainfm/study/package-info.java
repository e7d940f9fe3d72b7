/**
 * The CNN-against-transformer study from the records: each task's board ranked as FOMO25, the
 * best CNN against the best transformer with a paired bootstrap interval and a paired permutation
 * p-value (Holm-corrected across tasks), what each side cost, and what contradicts the headline.
 * The site's {@code /compare} and {@code brainfm report} both show it, so they give the same numbers.
 */
package org.brainfm.study;
