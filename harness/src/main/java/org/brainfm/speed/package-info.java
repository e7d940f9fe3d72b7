/**
 * Speed of the harness's own training: {@link org.brainfm.speed.StepTimer} times one training
 * step of a card's network on a device and checks the device is really used. Speed is measured
 * here and in benchmarks, never asserted in unit tests.
 */
package org.brainfm.speed;
