package org.brainfm.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.brainfm.BrainfmException;
import org.brainfm.data.Case;
import org.brainfm.metrics.Masks;
import org.brainfm.metrics.SegmentationMetrics;
import org.brainfm.predict.CasePredictor;
import org.brainfm.volume.Channels;
import org.brainfm.volume.Interpolation;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiWriter;
import org.brainfm.volume.Orientation;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {
    /** The finetuning recipe's default: a margin of 2 voxels, the input's spacing. */
    private static final Preprocessing STANDARD = new Preprocessing(2, null);

    /** Voxel axes: i points left (-x), j superior (z), k anterior (y): "LSA", off-origin. */
    static final double[][] AFFINE = {{-2, 0, 0, 30}, {0, 0, 2.5, -40}, {0, 2, 0, -10}, {0, 0, 0, 1}};
    static final int[] SHAPE = {30, 26, 22};

    /** A "brain" (positive values in a box off-centre) with a spherical "lesion" label inside it. */
    static Volume[] brainAndLesion(long seed) {
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        float[] a = new float[n];
        float[] b = new float[n];
        float[] label = new float[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int z = 3; z < 19; z++) {
            for (int y = 5; y < 24; y++) {
                for (int x = 2; x < 20; x++) {
                    int i = x + SHAPE[0] * (y + SHAPE[1] * z);
                    a[i] = 100 + 20 * (float) r.nextGaussian();
                    b[i] = 40 + 5 * (float) r.nextGaussian();
                    double d2 = Math.pow(x - 8, 2) + Math.pow(y - 15, 2) + Math.pow(z - 10, 2);
                    label[i] = d2 <= 16 ? 1 : 0;
                }
            }
        }
        return new Volume[] {new Volume(SHAPE, a, AFFINE), new Volume(SHAPE, b, AFFINE), new Volume(SHAPE, label, AFFINE)};
    }

    @Test
    void preparedImageIsRasCroppedAndZScored() {
        Volume[] v = brainAndLesion(1);
        Prepared p = STANDARD.prepare(Channels.stack(v[0], v[1]), v[2]);
        assertThat(Orientation.code(p.image().affine())).isEqualTo("RAS");
        // brain box 18 x 19 x 16 voxels (x, y, z) plus 2 voxels each side, inside the volume
        assertThat(p.image().shape()).containsExactlyInAnyOrder(22, 23, 20, 2);
        assertThat(p.label().shape()).containsExactly(p.image().nx(), p.image().ny(), p.image().nz());
        int voxels = p.image().nx() * p.image().ny() * p.image().nz();
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double sq = 0;
            int n = 0;
            for (int i = c * voxels; i < (c + 1) * voxels; i++) {
                float x = p.image().data()[i];
                if (x != 0) {
                    sum += x;
                    sq += x * x;
                    n++;
                }
            }
            assertThat(n).isEqualTo(18 * 19 * 16);
            assertThat(sum / n).isCloseTo(0, within(1e-4));
            assertThat(sq / n).isCloseTo(1, within(1e-4));
        }
        assertThat(Masks.count(Masks.foreground(p.label().data()))).isEqualTo(Masks.count(Masks.foreground(brainAndLesion(1)[2].data())));
    }

    /** A perfect prediction on the prepared grid lands back exactly on the label's original grid. */
    @Test
    void predictionsGoBackOntoTheInputGridAndAffine() {
        Volume[] v = brainAndLesion(2);
        Prepared p = STANDARD.prepare(Channels.stack(v[0], v[1]), v[2]);
        Volume back = CasePredictor.argmax(p.restore(oneHot(p.label()), Interpolation.LINEAR, 0f));
        assertThat(back.shape()).containsExactly(SHAPE);
        assertThat(back.affine()).isDeepEqualTo(AFFINE);
        assertThat(back.data()).containsExactly(v[2].data());
    }

    /** With resampling to 1.5 mm the prediction still lands on the input's grid; the mask survives the round trip. */
    @Test
    void resampledPredictionsGoBackToo() {
        Volume[] v = brainAndLesion(3);
        Prepared p = new Preprocessing(2, new double[] {1.5, 1.5, 1.5}).prepare(Channels.stack(v[0], v[1]), v[2]);
        assertThat(p.image().spacing()).containsExactly(new double[] {1.5, 1.5, 1.5}, within(1e-9));
        Volume back = CasePredictor.argmax(p.restore(oneHot(p.label()), Interpolation.LINEAR, 0f));
        assertThat(back.shape()).containsExactly(SHAPE);
        assertThat(back.affine()).isDeepEqualTo(AFFINE);
        double dice = SegmentationMetrics.dice(Masks.foreground(back.data()), Masks.foreground(v[2].data()));
        assertThat(dice).isGreaterThan(0.85);
    }

    @Test
    void loadsACaseFromFilesAndRejectsContrastsOffTheGrid(@TempDir Path dir) {
        Volume[] v = brainAndLesion(4);
        Path a = dir.resolve("flair.nii.gz");
        Path b = dir.resolve("dwi.nii.gz");
        Path seg = dir.resolve("seg.nii.gz");
        NiftiWriter.write(v[0], a, NiftiDatatype.FLOAT32);
        NiftiWriter.write(v[1], b, NiftiDatatype.FLOAT32);
        NiftiWriter.write(v[2], seg, NiftiDatatype.UINT8);
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("flair", a);
        inputs.put("dwi", b);
        Prepared p = STANDARD.load(new Case("sub_1", "ses_1", inputs, seg, Double.NaN), true);
        Prepared direct = STANDARD.prepare(Channels.stack(v[0], v[1]), v[2]);
        assertThat(p.image().data()).containsExactly(direct.image().data());
        assertThat(p.label().data()).containsExactly(direct.label().data());

        double[][] shifted = AFFINE.clone();
        shifted[0] = new double[] {-2, 0, 0, 31};
        Path off = dir.resolve("off.nii.gz");
        NiftiWriter.write(new Volume(SHAPE, v[1].data(), shifted), off, NiftiDatatype.FLOAT32);
        inputs.put("dwi", off);
        assertThatThrownBy(() -> STANDARD.load(new Case("sub_1", "ses_1", inputs, seg, Double.NaN), false))
                .isInstanceOf(BrainfmException.class).hasMessageContaining(off.toString()).hasMessageContaining("co-registered");
    }

    /** A label map as two probability frames (background, foreground). */
    static Volume oneHot(Volume label) {
        int n = label.data().length;
        float[] d = new float[2 * n];
        for (int i = 0; i < n; i++) {
            d[i] = 1 - label.data()[i];
            d[n + i] = label.data()[i];
        }
        return new Volume(new int[] {label.nx(), label.ny(), label.nz(), 2}, d, label.affine());
    }
}
