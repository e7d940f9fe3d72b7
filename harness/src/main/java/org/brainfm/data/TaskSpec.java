package org.brainfm.data;

import java.util.List;
import org.brainfm.metrics.TaskType;

/**
 * One entry of datasets.yaml's {@code tasks}: a FOMO25-style downstream task on a dataset.
 *
 * @param inputs   the contrasts a model gets, in channel order
 * @param label    the label file of each case: a mask for segmentation (seg.nii.gz), a number
 *                 in a text file otherwise (label.txt with 0/1, age.txt); looked up in the
 *                 session folder, then in the subject folder
 * @param finetune number of few-shot finetuning cases, drawn per seed from the subjects left
 *                 after the test set
 * @param test     number of test cases: the dataset's last subjects, the same for every seed
 * @param seeds    one finetuning run per seed (draw of the finetuning cases and initialisation)
 * @param protocol the finetuning protocol of runs that do not name one: fomo25 (default) or ssl3d
 * @param publicCases whether the site and its exports may show each test case's result
 *                 ({@code public-cases}; private unless true: a hidden test set's per-case results
 *                 would tell teams about its labels)
 */
public record TaskSpec(
        String name,
        TaskType type,
        String dataset,
        List<String> inputs,
        String label,
        Integer finetune,
        Integer test,
        List<String> metrics,
        List<Long> seeds,
        String description,
        String protocol,
        Boolean publicCases) {

    /** The finetuning protocols a task may name (recipe.Protocol's labels). */
    public static final List<String> PROTOCOLS = List.of("fomo25", "ssl3d");

    /** Whether per-case results of this task may be published. */
    public boolean casesArePublic() {
        return Boolean.TRUE.equals(publicCases);
    }
}
