package org.brainfm.submission;

import java.util.List;
import java.util.Map;
import org.brainfm.records.EntryKind;
import org.brainfm.records.Family;

/**
 * An entry's {@code manifest.yaml} as read and checked (submissions/README.md has the format).
 *
 * @param parameters the model's parameter count, as the team claims it (null: not given)
 * @param gpuHours   pretraining GPU-hours, as the team claims them (null: not given)
 * @param card       encoder entries: the card whose encoder the weights are for; else null
 * @param preset     encoder entries: the card's preset
 * @param weights    encoder entries: the safetensors file
 * @param tasks      task name to what the entry gives for it, in the manifest's order
 */
public record ManifestSpec(String team, String entry, String contact, Family family, Long parameters, Double gpuHours,
        String description, String paper, EntryKind kind, String card, String preset, String weights,
        Map<String, TaskFiles> tasks) {

    /**
     * What an entry gives for one task.
     *
     * @param models        model entries: ONNX files, averaged when several
     * @param inputs        model entries: the task's contrasts in input-channel order
     * @param patch         model entries: the patch (x, y, z) the model takes
     * @param spacing       model entries: resample to this spacing (mm) first; null keeps the input's
     * @param predictions   predictions entries: a folder of per-case files, or a CSV file
     */
    public record TaskFiles(List<String> models, List<String> inputs, int[] patch, double[] spacing, String predictions) {}
}
