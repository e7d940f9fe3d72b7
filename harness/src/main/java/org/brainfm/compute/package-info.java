/**
 * Compute accounting, measured and never claimed: what a run computed on ({@link
 * org.brainfm.compute.Hardware}), and how long and how much ({@link org.brainfm.compute.Meter}
 * gives a {@link org.brainfm.compute.Usage}). Device-seconds are wall seconds times the number
 * of devices; GPU-seconds are those device-seconds when the devices are GPUs.
 */
package org.brainfm.compute;
