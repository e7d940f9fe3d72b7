package org.brainfm.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResampleTest {
    /**
     * The grid-convention-independent oracle: the target grid's voxel centres mapped through
     * inv(source affine) @ target affine, read by scipy's map_coordinates (mode 'nearest'
     * clamps to the edge), fill where a position is more than half a voxel outside.
     */
    private static final String MAP_COORDINATES = String.join("\n",
            "import nibabel as nib",
            "from scipy import ndimage",
            "src = nib.load(sys.argv[1])",
            "data = np.asarray(src.dataobj, dtype=np.float64)",
            "rows = open(sys.argv[2]).read().split('\\n')",
            "shape = [int(s) for s in rows[0].split()]",
            "target = np.array([[float(x) for x in rows[r].split()] for r in range(1, 5)])",
            "order, fill = int(sys.argv[3]), float(sys.argv[4])",
            "m = np.linalg.inv(src.affine) @ target",
            "ijk = np.stack(np.meshgrid(*[np.arange(s) for s in shape], indexing='ij')).reshape(3, -1)",
            "pos = m[:3, :3] @ ijk + m[:3, 3:4]",
            "out = ndimage.map_coordinates(data, pos, order=order, mode='nearest')",
            "n = np.array(data.shape[:3])[:, None]",
            "out[np.any((pos < -0.5 - 1e-6) | (pos > n - 0.5 + 1e-6), axis=0)] = fill",
            "save('out', out.reshape(shape), target)");

    @TempDir
    Path dir;

    @Test
    void downsamplingByTwoAveragesPairsAndNearestRoundsTiesUp() {
        Volume v = Volume.of(4, 1, 1, new double[] {1, 1, 1}, new float[] {0, 10, 20, 30});

        Volume linear = Resample.toSpacing(Interpolation.LINEAR, 2, 1, 1).apply(v);
        Volume nearest = Resample.toSpacing(Interpolation.NEAREST, 2, 1, 1).apply(v);

        // new voxel i sits at old position 2 i + 0.5: between old voxels 0-1 and 2-3
        assertThat(linear.shape()).containsExactly(2, 1, 1);
        assertThat(linear.data()).containsExactly(5, 25);
        assertThat(nearest.data()).containsExactly(10, 30);
        assertThat(linear.affine()[0]).containsExactly(2, 0, 0, 0.5);
    }

    @Test
    void upsamplingClampsInsideTheFieldOfView() {
        Volume v = Volume.of(2, 1, 1, new double[] {2, 1, 1}, new float[] {0, 10});

        Volume linear = Resample.toSpacing(Interpolation.LINEAR, 1, 1, 1).apply(v);
        Volume nearest = Resample.toSpacing(Interpolation.NEAREST, 1, 1, 1).apply(v);

        // new voxel i at old position i / 2 - 0.25: -0.25 reads the edge, 1.25 too
        assertThat(linear.data()).containsExactly(0, 2.5f, 7.5f, 10);
        assertThat(nearest.data()).containsExactly(0, 0, 10, 10);
        assertThat(linear.affine()[0]).containsExactly(1, 0, 0, -0.5);
    }

    @Test
    void gridWithSpacingKeepsTheCentreAndTheExactSpacing() {
        double[][] affine = TestVolumes.rotated(TestVolumes.affine("LPI", new double[] {1, 1, 1.2}, new double[] {90, 126, 72}),
                15, 0, 1, 1);
        Grid grid = new Grid(new int[] {256, 256, 200}, affine);

        Grid coarse = Resample.gridWithSpacing(grid, 1.5, 1.5, 1.5);

        assertThat(coarse.shape()).containsExactly(171, 171, 160);
        assertThat(coarse.spacing()).containsExactly(new double[] {1.5, 1.5, 1.5}, within(1e-12));
        assertThat(coarse.world(85, 85, 79.5)).containsExactly(grid.world(127.5, 127.5, 99.5), within(1e-9));
        assertThat(Orientation.code(coarse.affine())).isEqualTo(Orientation.code(affine));
    }

    @Test
    void positionsOutsideTheFieldOfViewGetTheFill() {
        Volume v = Volume.of(3, 3, 3, new double[] {1, 1, 1}, TestVolumes.indices(27));
        double[][] shifted = v.affine();
        shifted[0][3] = 2.6; // voxel 0 of the target at source x 2.6: inside (< 2.5 + slack? no) -> outside
        Grid target = new Grid(new int[] {2, 3, 3}, shifted);

        for (Interpolation interpolation : Interpolation.values()) {
            Volume out = Resample.onto(v, target, interpolation, -7f);
            assertThat(out.data()).containsOnly(-7f);
        }
        shifted[0][3] = 2.4; // now target x 0 is inside the last voxel, reads the edge
        Volume edge = Resample.onto(v, new Grid(new int[] {2, 3, 3}, shifted), Interpolation.LINEAR, -7f);
        assertThat(edge.get(0, 1, 1)).isEqualTo(v.get(2, 1, 1));
        assertThat(edge.get(1, 1, 1)).isEqualTo(-7f);
    }

    @Test
    void everyFrameIsResampledAlike() {
        int[] shape = {6, 5, 4, 3};
        Volume v = new Volume(shape, TestVolumes.random(TestVolumes.product(shape), 3, 10),
                TestVolumes.affine("LAS", new double[] {1, 1, 2}, new double[] {0, 0, 0}));
        Volume out = Resample.toSpacing(Interpolation.LINEAR, 1.4, 0.8, 1.1).apply(v);
        assertThat(out.nt()).isEqualTo(3);
        for (int t = 0; t < 3; t++) {
            Volume alone = Resample.toSpacing(Interpolation.LINEAR, 1.4, 0.8, 1.1).apply(Channels.frame(v, t));
            assertThat(Channels.frame(out, t).data()).containsExactly(alone.data());
        }
    }

    @Test
    void undoPutsTheResultBackOnTheInputGrid() {
        int[] shape = {9, 8, 7};
        float[] ramp = new float[TestVolumes.product(shape)];
        Volume v = new Volume(shape, ramp, TestVolumes.affine("RPI", new double[] {1, 1.3, 2}, new double[] {4, 5, 6}));
        for (int z = 0; z < 7; z++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 9; x++) {
                    v.set(x, y, z, 3 * x - 2 * y + 5 * z);
                }
            }
        }
        VolumeOp.Applied done = Resample.toSpacing(Interpolation.LINEAR, 0.4, 0.65, 0.8).run(v);
        Volume back = done.undo().restore(done.volume(), Interpolation.LINEAR, 0f);

        assertThat(Grid.of(back)).isEqualTo(Grid.of(v));
        // trilinear interpolation reproduces a linear ramp away from the clamped edges
        for (int z = 1; z < 6; z++) {
            for (int y = 1; y < 7; y++) {
                for (int x = 1; x < 8; x++) {
                    assertThat(back.get(x, y, z)).isCloseTo(v.get(x, y, z), within(1e-4f));
                }
            }
        }
    }

    @Test
    void rejectsBadSpacing() {
        Volume v = Volume.of(2, 2, 2, new double[] {1, 1, 1}, new float[8]);
        assertThatThrownBy(() -> Resample.toSpacing(Interpolation.LINEAR, 1, 0, 1)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Resample.toSpacing(Interpolation.LINEAR, 1, 1)).hasMessageContaining("3 positive");
        assertThatThrownBy(() -> Resample.toSpacing(Interpolation.LINEAR, 1e-4, 1e-4, 1e-4).apply(v))
                .hasMessageContaining("voxels");
    }

    @Property(tries = 100)
    void resamplingToTheOwnSpacingIsTheIdentity(@ForAll @IntRange(min = 1, max = 7) int nx,
            @ForAll @IntRange(min = 1, max = 7) int ny, @ForAll @IntRange(min = 1, max = 7) int nz,
            @ForAll @DoubleRange(min = 0, max = 80) double degrees, @ForAll @DoubleRange(min = 0.4, max = 3) double spacing,
            @ForAll boolean nearest) {
        double[][] affine = TestVolumes.rotated(TestVolumes.affine("LPS", new double[] {spacing, 2 * spacing, 1},
                new double[] {3, -4, 5}), degrees, 1, -1, 2);
        Volume v = new Volume(new int[] {nx, ny, nz}, TestVolumes.random(nx * ny * nz, nx + 10L * ny, 50), affine);

        Volume same = Resample.toSpacing(nearest ? Interpolation.NEAREST : Interpolation.LINEAR, v.spacing()).apply(v);

        assertThat(same.shape()).containsExactly(v.shape());
        assertThat(same.data()).containsExactly(v.data());
        assertThat(Grid.of(same).world(1, 2, 3)).containsExactly(Grid.of(v).world(1, 2, 3), within(1e-9));
    }

    @Property(tries = 100)
    void nearestResamplingOfLabelsYieldsOnlyExistingLabels(@ForAll @IntRange(min = 1, max = 9) int n,
            @ForAll @DoubleRange(min = 0.3, max = 3) double sx, @ForAll @DoubleRange(min = 0.3, max = 3) double sy,
            @ForAll @DoubleRange(min = 0.3, max = 3) double sz, @ForAll @IntRange(min = 2, max = 6) int classes) {
        float[] labels = TestVolumes.random(n * n * n, n * 31L + classes, classes);
        Set<Float> present = new HashSet<>();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (float) Math.floor(labels[i]);
            present.add(labels[i]);
        }
        Volume v = new Volume(new int[] {n, n, n}, labels, TestVolumes.affine("LIP", new double[] {1, 1.5, 0.8},
                new double[] {0, 0, 0}));

        Volume out = Resample.toSpacing(Interpolation.NEAREST, sx, sy, sz).apply(v);

        for (float l : out.data()) {
            assertThat(present).contains(l);
        }
    }

    @Test
    void trilinearToSpacingAgreesWithScipy() throws IOException {
        Volume v = new Volume(new int[] {23, 19, 17}, TestVolumes.random(23 * 19 * 17, 11, 100),
                TestVolumes.rotated(TestVolumes.affine("LPS", new double[] {0.9, 1.1, 2.2}, new double[] {30, 40, -20}),
                        12, 3, 1, 2));
        assertThat(maxDiffFromScipy(v, Resample.toSpacing(Interpolation.LINEAR, 1.37, 0.71, 1.93).apply(v), 1))
                .isLessThan(1e-4);
    }

    @Test
    void nearestToSpacingAgreesWithScipy() throws IOException {
        // odd extents and ratios that put no new voxel centre halfway between old ones
        Volume v = new Volume(new int[] {21, 19, 15}, TestVolumes.random(21 * 19 * 15, 12, 100),
                TestVolumes.affine("RAS", new double[] {1, 1, 1}, new double[] {0, 0, 0}));
        Volume out = Resample.toSpacing(Interpolation.NEAREST, 1.37, 0.73, 1.71).apply(v);
        assertThat(maxDiffFromScipy(v, out, 0)).isZero();
    }

    @Test
    void obliqueTargetGridAgreesWithScipy() throws IOException {
        Volume v = new Volume(new int[] {20, 18, 16}, TestVolumes.random(20 * 18 * 16, 13, 100),
                TestVolumes.affine("LAS", new double[] {1.5, 1, 1.2}, new double[] {20, -10, 5}));
        // a rotated, finer grid reaching past the source on some sides (fill there)
        Grid target = new Grid(new int[] {26, 22, 19},
                TestVolumes.rotated(TestVolumes.affine("RAS", new double[] {1.1, 0.9, 1}, new double[] {-12, -14, 2}),
                        20, 1, 1, 0));
        for (int order = 0; order <= 1; order++) {
            Volume out = Resample.onto(v, target, order == 0 ? Interpolation.NEAREST : Interpolation.LINEAR, -1f);
            assertThat(out.data()).contains(-1f);
            assertThat(maxDiffFromScipy(v, out, order)).as("order %d", order).isLessThan(1e-4);
        }
    }

    /** A real 1 mm brain (mricron's ch2bet) to 1.5 mm, and its AAL atlas labels to 1.7 mm. */
    @Test
    void realBrainAndAtlasAgreeWithScipy() throws IOException {
        PythonOracle.run(dir, String.join("\n",
                "import nibabel as nib",
                "for name in sys.argv[1:]:",
                "    img = nib.load(name)",
                "    save(os.path.basename(name).split('.')[0], img.get_fdata(dtype=np.float32), img.affine)"),
                PythonOracle.template("ch2bet.nii.gz").toString(), PythonOracle.template("aal.nii.gz").toString());
        Volume brain = PythonOracle.load(dir, "ch2bet");
        Volume atlas = PythonOracle.load(dir, "aal");

        Volume brain15 = Resample.toSpacing(Interpolation.LINEAR, 1.5, 1.5, 1.5).apply(brain);
        Volume atlas17 = Resample.toSpacing(Interpolation.NEAREST, 1.7, 1.7, 1.7).apply(atlas);

        assertThat(brain15.shape()).containsExactly(121, 145, 121);
        assertThat(maxDiffFromScipy(brain, brain15, 1)).isLessThan(1e-4);
        assertThat(maxDiffFromScipy(atlas, atlas17, 0)).isZero();
    }

    /** Writes v and out's grid, runs the map_coordinates oracle, and returns the largest difference from out. */
    private double maxDiffFromScipy(Volume v, Volume out, int order) throws IOException {
        NiftiWriter.write(v, dir.resolve("src.nii"), NiftiDatatype.FLOAT32);
        StringBuilder grid = new StringBuilder(out.nx() + " " + out.ny() + " " + out.nz() + "\n");
        for (double[] row : out.affine()) {
            grid.append(row[0]).append(' ').append(row[1]).append(' ').append(row[2]).append(' ').append(row[3]).append('\n');
        }
        Files.writeString(dir.resolve("grid.txt"), grid);
        PythonOracle.run(dir, MAP_COORDINATES, "src.nii", "grid.txt", Integer.toString(order), "-1");
        Volume expected = PythonOracle.load(dir, "out");
        return PythonOracle.maxAbsDiff(out.data(), expected.data());
    }
}
