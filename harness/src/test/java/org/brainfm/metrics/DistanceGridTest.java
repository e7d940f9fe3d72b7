package org.brainfm.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.brainfm.BrainfmException;
import org.junit.jupiter.api.Test;

class DistanceGridTest {
    private static double[][] affine(double tx) {
        return new double[][] {{-2, 0, 0, tx}, {0, 2, 0, -126}, {0, 0, 2, -72}, {0, 0, 0, 1}};
    }

    @Test
    void affinesWithinAThousandthPerEntryAreTheSameGrid() {
        int[] shape = {91, 109, 91};
        assertThatCode(() -> DistanceGrid.requireSame("p.nii", shape, affine(90.0005), "r.nii", shape, affine(90)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> DistanceGrid.requireSame("p.nii", shape, affine(90.002), "r.nii", shape, affine(90)))
                .isInstanceOf(BrainfmException.class)
                .hasMessage("p.nii: affine differs from the reference r.nii affine (entry [0][3]: 90.002 vs 90.0, "
                        + "tolerance 0.001); predictions must be on the reference's grid (no resampling is done)");
        assertThatThrownBy(() -> DistanceGrid.requireSame("p.nii", new int[] {91, 109, 90}, affine(90), "r.nii", shape, affine(90)))
                .hasMessageContaining("grid [91, 109, 90] differs from the reference r.nii grid [91, 109, 91]");
    }

    @Test
    void diagonalOfTheFieldOfView() {
        // 4 x 10 x 18 mm: sqrt(16 + 100 + 324).
        assertThat(DistanceGrid.of(4, 5, 6, 1, 2, 3).diagonalMm()).isCloseTo(Math.sqrt(440), within(1e-12));
        assertThat(DistanceGrid.of(4, 5, 6, 1, 2, 3).index(1, 2, 3)).isEqualTo(1 + 4 * (2 + 5 * 3));
    }
}
