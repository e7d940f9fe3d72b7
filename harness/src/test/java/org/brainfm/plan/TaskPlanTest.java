package org.brainfm.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.data.Case;
import org.brainfm.metrics.Metric;
import org.junit.jupiter.api.Test;

class TaskPlanTest {
    static List<Case> cases(double... targets) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            out.add(new Case("sub_" + i, "ses_1", Map.of(), Path.of("label.txt"), targets[i]));
        }
        return out;
    }

    @Test
    void foldsPartitionTheCasesAndKeepClassShares() {
        List<Case> c = cases(1, 1, 1, 1, 0, 0, 0, 0, 0, 0);
        List<List<Case>> folds = TaskPlan.folds(c, 2, true);
        assertThat(folds).hasSize(2);
        assertThat(folds.get(0)).hasSize(5).doesNotContainAnyElementsOf(folds.get(1));
        for (List<Case> f : folds) {
            assertThat(f.stream().filter(x -> x.target() == 1).count()).isEqualTo(2);
        }
        assertThat(TaskPlan.trainingCases(folds, 0)).containsExactlyElementsOf(folds.get(1));
        List<List<Case>> one = TaskPlan.folds(c, 1, false);
        assertThat(TaskPlan.trainingCases(one, 0)).containsExactlyElementsOf(c);
        assertThatThrownBy(() -> TaskPlan.folds(c, 11, false)).isInstanceOf(BrainfmException.class).hasMessageContaining("--folds");
        assertThatThrownBy(() -> TaskPlan.folds(c, 0, false)).isInstanceOf(BrainfmException.class);
    }

    @Test
    void datasetsYamlMetricNamesMapToMetrics() {
        assertThat(TaskPlan.metric("balanced-accuracy")).isEqualTo(Metric.BALANCED_ACCURACY);
        assertThat(TaskPlan.metric("average-precision")).isEqualTo(Metric.AVERAGE_PRECISION);
        assertThat(TaskPlan.metric("pearson-r")).isEqualTo(Metric.PEARSON_R);
        assertThat(TaskPlan.metric("hd95")).isEqualTo(Metric.HD95);
    }
}
