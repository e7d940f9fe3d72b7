package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiWriter;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCommandTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o), new PrintWriter(e));
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** A 20^3 grid of 1 x 1 x 2 mm voxels holding {@code value} in [lo, hi) and 0 elsewhere. */
    private static float[] box(int[] lo, int[] hi, float value) {
        float[] v = new float[20 * 20 * 20];
        for (int z = lo[2]; z < hi[2]; z++) {
            for (int y = lo[1]; y < hi[1]; y++) {
                for (int x = lo[0]; x < hi[0]; x++) {
                    v[x + 20 * (y + 20 * z)] = value;
                }
            }
        }
        return v;
    }

    private Path write(String name, float[] data, double[] spacing, NiftiDatatype type) {
        Path f = dir.resolve(name);
        NiftiWriter.write(Volume.of(20, 20, 20, spacing, data), f, type);
        return f;
    }

    @Test
    void scoresACubeAgainstTheCubeShiftedTwoVoxels() throws Exception {
        double[] spacing = {1, 1, 2};
        Path ref = write("ref.nii.gz", box(new int[] {5, 5, 5}, new int[] {10, 10, 10}, 1), spacing, NiftiDatatype.UINT8);
        Path pred = write("pred.nii.gz", box(new int[] {7, 5, 5}, new int[] {12, 10, 10}, 3), spacing, NiftiDatatype.UINT8);
        assertThat(run("metrics", "--pred", pred.toString(), "--ref", ref.toString(), "--json")).isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(out);
        // The 5x5x5 cubes of SegmentationMetricsTest, shifted along x (1 mm): overlap 75 of 125 each,
        // Dice 0.6. On the isotropic grid each side has 48 boundary voxels at 0, 24 at 1, 26 at 2;
        // the 2 mm slices move (7, 7, 6) and (7, 7, 8), 1 voxel from a z face, to 2 mm (the x and
        // y faces are 2 mm away too): 48 at 0, 22 at 1 mm, 28 at 2 mm. NSD at 2 mm: all; HD95 2 mm.
        assertThat(j.get("dice").asDouble()).isCloseTo(0.6, within(1e-12));
        assertThat(j.get("nsd").asDouble()).isEqualTo(1.0);
        assertThat(j.get("hd95").asDouble()).isCloseTo(2.0, within(1e-12));
        assertThat(j.get("pred_voxels").asLong()).isEqualTo(125);
        assertThat(j.get("ref_voxels").asLong()).isEqualTo(125);
        assertThat(j.get("tolerance_mm").asDouble()).isEqualTo(2.0);
        assertThat(j.has("flag")).isFalse();

        assertThat(run("metrics", "--pred", pred.toString(), "--ref", ref.toString(), "--tolerance-mm", "1")).isEqualTo(0);
        // (70 + 70) / 196 = 0.71428... within 1 mm.
        assertThat(out).contains("dice          0.6000").contains("nsd           0.7143 (tolerance 1 mm)")
                .contains("hd95          2.00 mm").doesNotContain("flag");
    }

    @Test
    void labelPicksOneLabelAndEmptyMasksAreFlagged() throws Exception {
        float[] labels = box(new int[] {2, 2, 2}, new int[] {6, 6, 6}, 4);
        float[] other = box(new int[] {10, 10, 10}, new int[] {14, 14, 14}, 7);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Math.max(labels[i], other[i]);
        }
        double[] spacing = {1, 1, 1};
        Path ref = write("ref.nii", labels, spacing, NiftiDatatype.INT16);
        Path pred = write("pred.nii", labels, spacing, NiftiDatatype.INT16);
        assertThat(run("metrics", "--pred", pred.toString(), "--ref", ref.toString(), "--label", "7", "--json")).isEqualTo(0);
        JsonNode j = new ObjectMapper().readTree(out);
        assertThat(j.get("dice").asDouble()).isEqualTo(1.0);
        assertThat(j.get("ref_voxels").asLong()).isEqualTo(64);

        Path empty = write("empty.nii", new float[8000], spacing, NiftiDatatype.UINT8);
        assertThat(run("metrics", "--pred", empty.toString(), "--ref", ref.toString(), "--json")).isEqualTo(0);
        j = new ObjectMapper().readTree(out);
        assertThat(j.get("flag").asText()).isEqualTo("empty_prediction");
        assertThat(j.get("dice").asDouble()).isEqualTo(0.0);
        assertThat(j.get("hd95").asDouble()).isCloseTo(Math.sqrt(3 * 400), within(1e-9)); // the 20 mm cube's diagonal

        float[] nan = labels.clone();
        nan[0] = Float.NaN;
        Path invalid = write("nan.nii", nan, spacing, NiftiDatatype.FLOAT32);
        assertThat(run("metrics", "--pred", invalid.toString(), "--ref", ref.toString(), "--json")).isEqualTo(0);
        assertThat(new ObjectMapper().readTree(out).get("flag").asText()).isEqualTo("invalid");
    }

    @Test
    void aPredictionOffTheReferenceGridIsRejectedInOneLine() {
        float[] cube = box(new int[] {5, 5, 5}, new int[] {10, 10, 10}, 1);
        Path ref = write("ref.nii.gz", cube, new double[] {1, 1, 1}, NiftiDatatype.UINT8);
        Path thick = write("thick.nii.gz", cube, new double[] {1, 1, 1.5}, NiftiDatatype.UINT8);
        assertThat(run("metrics", "--pred", thick.toString(), "--ref", ref.toString())).isEqualTo(2);
        assertThat(err.lines()).hasSize(1);
        assertThat(err).startsWith("brainfm: " + thick + ": affine differs from the reference " + ref)
                .contains("no resampling");

        Path small = dir.resolve("small.nii.gz");
        NiftiWriter.write(Volume.of(10, 20, 20, new double[] {1, 1, 1}, new float[4000]), small, NiftiDatatype.UINT8);
        assertThat(run("metrics", "--pred", small.toString(), "--ref", ref.toString())).isEqualTo(2);
        assertThat(err).isEqualTo("brainfm: " + small + ": grid [10, 20, 20] differs from the reference " + ref
                + " grid [20, 20, 20]; predictions must be on the reference's grid (no resampling is done)\n");

        assertThat(run("metrics", "--pred", dir.resolve("none.nii.gz").toString(), "--ref", ref.toString())).isEqualTo(2);
        assertThat(err.lines()).hasSize(1).first().asString().startsWith("brainfm: " + dir.resolve("none.nii.gz"));
        assertThat(run("metrics", "--pred", ref.toString(), "--ref", ref.toString(), "--tolerance-mm", "-1")).isEqualTo(2);
        assertThat(err).startsWith("brainfm: --tolerance-mm: -1.0: must be");
    }

    @Test
    void helpHasAnExample() {
        assertThat(run("metrics", "--help")).isEqualTo(0);
        assertThat(out).contains("Example:").contains("--tolerance-mm").contains("default: 2.0");
    }
}
