package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files go both ways between brainfm and nibabel, and both read the same affine, shape and values. */
class NibabelRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void readsNibabelsFilesVoxelForVoxel() {
        List<String> files = new ArrayList<>(Nibabel.run("make", List.of(dir.toString())).keySet());
        assertThat(files).hasSizeGreaterThan(10);
        Map<String, JsonNode> oracle = Nibabel.run("values", files);
        for (String file : files) {
            JsonNode expected = oracle.get(file);
            assertThat(expected.has("error")).as(file + ": %s", expected).isFalse();
            NiftiReader.Image image = NiftiReader.readImage(Path.of(file), NiftiReader.DEFAULT_MAX_VOXELS);
            NiftiHeader h = image.header();
            assertThat(h.shape()).as(file).isEqualTo(ints(expected.get("shape")));
            assertThat(h.format()).as(file).isEqualTo(expected.get("format").asText());
            assertThat(h.datatype().label()).as(file).isEqualTo(expected.get("datatype").asText());
            assertThat(h.spacing()).as(file).containsExactly(doubles(expected.get("spacing")), within(1e-12));
            assertClose(file, image.volume().affine(), expected.get("affine"), 1e-9);
            float[] values = image.volume().data();
            JsonNode nib = expected.get("values");
            assertThat(values).as(file).hasSize(nib.size());
            for (int i = 0; i < values.length; i++) {
                float want = (float) nib.get(i).asDouble(Double.NaN);
                if (Float.compare(values[i], want) != 0) {
                    throw new AssertionError(file + ": voxel " + i + " is " + values[i] + ", nibabel says " + want);
                }
            }
        }
    }

    @Test
    void nibabelReadsWhatTheWriterWrites() {
        Random random = new Random(11);
        List<String> files = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        List<NiftiDatatype> types = new ArrayList<>();
        NiftiDatatype[] writable = {NiftiDatatype.FLOAT32, NiftiDatatype.INT16, NiftiDatatype.UINT8};
        for (int k = 0; k < 12; k++) {
            int[] shape = k % 3 == 2 ? new int[] {4, 3, 5, 2} : new int[] {5 + k % 2, 4, 3};
            Volume v = new Volume(shape, randomValues(random, shape), randomAffine(random, k % 3 != 1, k % 2 == 1));
            NiftiDatatype type = writable[k % 3];
            Path f = dir.resolve("w" + k + (k % 4 < 2 ? ".nii.gz" : ".nii"));
            NiftiWriter.write(v, f, type);
            files.add(f.toString());
            volumes.add(v);
            types.add(type);
        }
        Map<String, JsonNode> oracle = Nibabel.run("values", files);
        int orientationsCompared = 0;
        for (int k = 0; k < files.size(); k++) {
            String file = files.get(k);
            JsonNode nib = oracle.get(file);
            assertThat(nib.has("error")).as(file + ": %s", nib).isFalse();
            Volume v = volumes.get(k);
            assertThat(ints(nib.get("shape"))).as(file).isEqualTo(v.shape());
            assertThat(nib.get("datatype").asText()).as(file).isEqualTo(types.get(k).label());
            assertClose(file, v.affine(), nib.get("affine"), 1e-5);
            assertClose(file + " qform", v.affine(), nib.get("qform"), 1e-5);
            if (Nibabel.unambiguousOrientation(v.affine())) {
                orientationsCompared++;
                assertThat(Orientation.code(v.affine())).as(file).isEqualTo(nib.get("orientation").asText());
            }
            JsonNode values = nib.get("values");
            for (int i = 0; i < v.data().length; i++) {
                float written = v.data()[i];
                double expected = switch (types.get(k)) {
                    case INT16 -> Math.max(-32768, Math.min(32767, Math.round(written)));
                    case UINT8 -> Math.max(0, Math.min(255, Math.round(written)));
                    default -> written;
                };
                assertThat(values.get(i).asDouble()).as(file + " voxel " + i).isEqualTo(expected);
            }
        }
        assertThat(orientationsCompared).isGreaterThan(3);
    }

    private static float[] randomValues(Random random, int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (random.nextGaussian() * 300);
        }
        return data;
    }

    /**
     * A random rotation (from a random quaternion: a mild one, mostly under 45 degrees, or any),
     * scaled, optionally with an axis flipped.
     */
    static double[][] randomAffine(Random random, boolean mild, boolean flip) {
        double w = mild ? 4 + random.nextDouble() : random.nextGaussian();
        double x = random.nextGaussian();
        double y = random.nextGaussian();
        double z = random.nextGaussian();
        double n = Math.sqrt(w * w + x * x + y * y + z * z);
        w /= n;
        x /= n;
        y /= n;
        z /= n;
        double[][] r = {
            {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
            {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
            {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)},
        };
        double[] scale = {0.5 + random.nextDouble() * 2, 0.5 + random.nextDouble() * 2, 1 + random.nextDouble() * 3};
        if (flip) {
            scale[random.nextInt(3)] *= -1;
        }
        double[][] a = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = r[i][j] * scale[j];
            }
            a[i][3] = random.nextDouble() * 200 - 100;
        }
        a[3][3] = 1;
        return a;
    }

    static void assertClose(String what, double[][] actual, JsonNode expected, double tolerance) {
        for (int r = 0; r < 4; r++) {
            assertThat(actual[r]).as(what + " affine row " + r).containsExactly(doubles(expected.get(r)), within(tolerance));
        }
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }
}
