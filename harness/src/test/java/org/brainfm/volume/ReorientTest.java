package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReorientTest {
    private static final String[] PERMUTATIONS = {"012", "021", "102", "120", "201", "210"};

    @TempDir
    Path dir;

    @Test
    void lasFlipsTheFirstAxisAndMovesTheOrigin() {
        // 3 x 2 x 1 voxels, i pointing left 2 mm apart
        Volume las = new Volume(new int[] {3, 2, 1}, new float[] {0, 1, 2, 3, 4, 5},
                TestVolumes.affine("LAS", new double[] {2, 3, 4}, new double[] {10, 20, 30}));

        Volume ras = Reorient.toRas().apply(las);

        assertThat(ras.shape()).containsExactly(3, 2, 1);
        assertThat(ras.data()).containsExactly(2, 1, 0, 5, 4, 3);
        assertThat(ras.affine()[0]).containsExactly(2, 0, 0, 6); // old voxel 2 lies at 10 - 2 * 2
        assertThat(Orientation.code(ras.affine())).isEqualTo("RAS");
    }

    @Test
    void psrPermutesTheAxes() {
        // i to Posterior, j to Superior, k to Right: RAS x = old k, y = old i reversed, z = old j
        Volume psr = new Volume(new int[] {2, 3, 4}, TestVolumes.indices(24),
                TestVolumes.affine("PSR", new double[] {1, 2, 3}, new double[] {0, 0, 0}));

        Volume ras = Reorient.toRas().apply(psr);

        assertThat(ras.shape()).containsExactly(4, 2, 3);
        for (int x = 0; x < 4; x++) {
            for (int y = 0; y < 2; y++) {
                for (int z = 0; z < 3; z++) {
                    assertThat(ras.get(x, y, z)).isEqualTo(psr.get(1 - y, z, x));
                }
            }
        }
        assertThat(ras.spacing()).containsExactly(3, 1, 2);
    }

    @Test
    void rasInputIsReturnedAsItIs() {
        Volume ras = new Volume(new int[] {2, 2, 2}, TestVolumes.indices(8),
                TestVolumes.affine("RAS", new double[] {1, 1, 1}, new double[] {0, 0, 0}));
        VolumeOp.Applied done = Reorient.toRas().run(ras);
        assertThat(done.volume()).isSameAs(ras);
        assertThat(done.undo().restore(ras, Interpolation.NEAREST, 0f)).isSameAs(ras);
    }

    /** nibabel's as_closest_canonical on files written by NiftiWriter must give the same voxels and affine. */
    @ParameterizedTest
    @ValueSource(strings = {"LAS", "LPI", "PSR", "IRA", "oblique", "LPI-4D"})
    void agreesWithNibabel(String orientation) throws IOException {
        int[] shape = orientation.endsWith("4D") ? new int[] {5, 4, 3, 2} : new int[] {7, 5, 6};
        double[] spacing = {1.2, 0.9, 2.5};
        double[] origin = {-40.5, 12.25, 7};
        double[][] affine = orientation.equals("oblique")
                ? TestVolumes.rotated(TestVolumes.affine("PSR", spacing, origin), 25, 1, 2, 0.5)
                : TestVolumes.affine(orientation.substring(0, 3), spacing, origin);
        Volume v = new Volume(shape, TestVolumes.random(TestVolumes.product(shape), 7, 100), affine);
        NiftiWriter.write(v, dir.resolve("in.nii.gz"), NiftiDatatype.FLOAT32);

        PythonOracle.run(dir, String.join("\n",
                "import nibabel as nib",
                "img = nib.as_closest_canonical(nib.load('in.nii.gz'))",
                "save('out', img.get_fdata(dtype=np.float32), img.affine)"));
        Volume expected = PythonOracle.load(dir, "out");
        Volume actual = Reorient.toRas().apply(v);

        assertThat(actual.shape()).containsExactly(expected.shape());
        assertThat(actual.data()).containsExactly(expected.data());
        double[][] a = actual.affine();
        double[][] e = expected.affine();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(a[r][c]).as("affine[%d][%d]", r, c).isCloseTo(e[r][c], within(1e-5));
            }
        }
    }

    /** Reorientation moves voxels, not the anatomy: each value keeps its world position; the undo restores all. */
    @Property(tries = 200)
    void preservesWorldCoordinatesAndUndoes(@ForAll @IntRange(min = 0, max = 47) int orientation,
            @ForAll @IntRange(min = 1, max = 5) int nx, @ForAll @IntRange(min = 1, max = 5) int ny,
            @ForAll @IntRange(min = 1, max = 5) int nz, @ForAll @IntRange(min = 1, max = 2) int frames,
            @ForAll @DoubleRange(min = 0.3, max = 4) double spacing, @ForAll @DoubleRange(min = -60, max = 60) double shift) {
        String code = code(orientation);
        double[][] affine = TestVolumes.affine(code, new double[] {spacing, spacing * 1.5, spacing * 0.7},
                new double[] {shift, -shift, shift / 2});
        int[] shape = frames == 1 ? new int[] {nx, ny, nz} : new int[] {nx, ny, nz, frames};
        Volume v = new Volume(shape, TestVolumes.indices(TestVolumes.product(shape)), affine);

        VolumeOp.Applied done = Reorient.toRas().run(v);
        Volume ras = done.volume();

        assertThat(Orientation.code(ras.affine())).isEqualTo("RAS");
        assertThat(ras.nt()).isEqualTo(frames);
        Grid in = Grid.of(v);
        Grid out = Grid.of(ras);
        for (int z = 0; z < ras.nz(); z++) {
            for (int y = 0; y < ras.ny(); y++) {
                for (int x = 0; x < ras.nx(); x++) {
                    int source = (int) ras.data()[ras.index(x, y, z, frames - 1)] - (frames - 1) * nx * ny * nz;
                    double[] expected = in.world(source % nx, (source / nx) % ny, source / (nx * ny));
                    assertThat(out.world(x, y, z)).containsExactly(expected, within(1e-9));
                }
            }
        }
        Volume back = done.undo().restore(ras, Interpolation.NEAREST, 0f);
        assertThat(back.shape()).containsExactly(shape);
        assertThat(back.data()).containsExactly(v.data());
        assertThat(back.affine()).isDeepEqualTo(v.affine());
    }

    /** One of the 48 signed axis permutations, as an orientation code. */
    private static String code(int n) {
        String perm = PERMUTATIONS[n % 6];
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < 3; c++) {
            int world = perm.charAt(c) - '0';
            boolean negative = ((n / 6) >> c & 1) == 1;
            s.append("RLAPSI".charAt(2 * world + (negative ? 1 : 0)));
        }
        return s.toString();
    }
}
