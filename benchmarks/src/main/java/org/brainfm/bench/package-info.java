/** JMH benchmarks of brainfm's hot paths, one class per path; run them with {@code scripts/bench}. */
package org.brainfm.bench;
