package org.brainfm.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * One case of a task: a subject's first session, the task's input images in order, and its
 * target: the mask file for segmentation, a number (0/1 class, years) otherwise.
 *
 * @param inputs contrast to image, in the task's input order
 * @param label  the label file
 * @param target the number in the label file; NaN for segmentation
 */
public record Case(String subject, String session, Map<String, Path> inputs, Path label, double target) {}
