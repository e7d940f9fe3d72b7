package org.brainfm.data;

import java.util.List;
import java.util.Map;
import org.brainfm.metrics.TaskType;

/**
 * One entry of datasets.yaml's {@code tasks}: a FOMO25-style downstream task on a dataset.
 *
 * @param dataset  where the finetuning cases come from (and the test cases, without test-dataset)
 * @param testDataset where the test cases come from when it is another dataset ({@code test-dataset};
 *                 FOMO25 finetunes on one site's data and tests on others'); null: {@code dataset}
 * @param inputs   the contrasts a model gets, in channel order
 * @param alternatives per input, the contrasts that may stand in for it, in order of preference,
 *                 when a case lacks it (FOMO25's "SWI or T2*"); the case then gets the stand-in's
 *                 image in that channel. A finetuning case with none of them is left out; a test
 *                 case with none is an error
 * @param label    the label file of each case: a mask for segmentation (seg.nii.gz), a number
 *                 in a text file otherwise (label.txt with 0/1, age.txt); looked up in the
 *                 session folder, then in the subject folder
 * @param finetune number of few-shot finetuning cases, drawn per seed from the subjects left
 *                 after the test set (all of dataset's subjects when the test set is elsewhere);
 *                 FOMO25 used 21, 23 and 200 for its tasks 1-3
 * @param test     number of test cases: the test dataset's last subjects, the same for every seed
 * @param seeds    one finetuning run per seed (draw of the finetuning cases and initialisation)
 * @param protocol the finetuning protocol of runs that do not name one: fomo25 (default) or ssl3d
 * @param publicCases whether the site and its exports may show each test case's result
 *                 ({@code public-cases}; private unless true: a hidden test set's per-case results
 *                 would tell teams about its labels)
 * @param classes  segmentation: the names of the label map's classes, value k being the k-th
 *                 (1-based; 0 is background), for a multi-class task scored per class and as the
 *                 mean over classes; null: a binary task whose foreground is every nonzero voxel
 */
public record TaskSpec(
        String name,
        TaskType type,
        String dataset,
        String testDataset,
        List<String> inputs,
        Map<String, List<String>> alternatives,
        String label,
        Integer finetune,
        Integer test,
        List<String> metrics,
        List<Long> seeds,
        String description,
        String protocol,
        Boolean publicCases,
        List<String> classes) {

    /** The finetuning protocols a task may name (recipe.Protocol's labels). */
    public static final List<String> PROTOCOLS = List.of("fomo25", "ssl3d");

    /** The dataset of the test cases: {@code test-dataset}, else {@code dataset}. */
    public String testDatasetName() {
        return testDataset == null ? dataset : testDataset;
    }

    /** Whether the test cases come from another dataset than the finetuning cases. */
    public boolean testsElsewhere() {
        return !testDatasetName().equals(dataset);
    }

    /** The contrasts that may stand in for an input, in order of preference; none by default. */
    public List<String> standIns(String input) {
        return alternatives == null || alternatives.get(input) == null ? List.of() : alternatives.get(input);
    }

    /** The classes of a multi-class segmentation task, label value k+1 being the k-th; empty for a binary task. */
    public List<String> labelClasses() {
        return classes == null ? List.of() : classes;
    }

    /** Whether per-case results of this task may be published. */
    public boolean casesArePublic() {
        return Boolean.TRUE.equals(publicCases);
    }
}
