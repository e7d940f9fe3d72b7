package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.brainfm.volume.Nibabel;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiWriter;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    private static final Path MRICRON = Path.of("/usr/share/mricron/templates");
    private static final Path NIBABEL = Path.of("/usr/lib/python3/dist-packages/nibabel/tests/data");
    private static final List<String> KEYS = List.of(
            "file", "format", "shape", "datatype", "spacing", "affine", "orientation", "min", "max", "mean", "nonzero");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run inspect(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("inspect"), Stream.of(args)).toArray(String[]::new);
        int exit = Main.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void agreesWithNibabelOnRealAndEdgeCaseFiles() throws IOException {
        List<String> files = new ArrayList<>();
        for (String name : new String[] {"ch2", "ch2bet", "ch2better", "aal", "HarvardOxford-cort-maxprob-thr0-1mm"}) {
            files.add(required(MRICRON.resolve(name + ".nii.gz")));
        }
        required(NIBABEL);
        try (Stream<Path> data = Files.list(NIBABEL)) {
            data.filter(p -> p.getFileName().toString().matches(".*\\.nii(\\.gz)?")).sorted()
                    .forEach(p -> files.add(p.toString()));
        }
        assertThat(files).contains(NIBABEL + "/example_nifti2.nii.gz", NIBABEL + "/anatomical.nii",
                NIBABEL + "/row_major.dconn.nii");
        files.addAll(Nibabel.run("make", List.of(dir.toString())).keySet());

        Map<String, JsonNode> oracle = Nibabel.run("stats", files);
        Run run = inspect(Stream.concat(Stream.of("--json"), files.stream()).toArray(String[]::new));
        Map<String, JsonNode> ours = new LinkedHashMap<>();
        for (String line : run.out().split("\n")) {
            JsonNode node = MAPPER.readTree(line);
            ours.put(node.get("file").asText(), node);
        }

        double worstAffine = 0;
        double worstMean = 0;
        int compared = 0;
        for (String file : files) {
            JsonNode nib = oracle.get(file);
            if (nib.has("error")) {
                // nibabel does not read it as a NIfTI volume (the CIFTI dconn): we refuse it, with a reason
                assertThat(ours).doesNotContainKey(file);
                assertThat(run.err()).contains("brainfm: " + file + ": dim[5] = 10: brainfm reads 3D and 4D images");
                continue;
            }
            JsonNode our = ours.get(file);
            assertThat(our).as(file + " missing; stderr: " + run.err()).isNotNull();
            List<String> keys = new ArrayList<>();
            our.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactlyElementsOf(KEYS);
            for (String exact : new String[] {"format", "shape", "datatype", "nonzero"}) {
                assertThat(our.get(exact)).as(file + " " + exact).isEqualTo(nib.get(exact));
            }
            assertThat(doubles(our.get("spacing"))).as(file + " spacing")
                    .containsExactly(doubles(nib.get("spacing")), within(1e-9));
            double[][] affine = new double[4][];
            for (int r = 0; r < 4; r++) {
                affine[r] = doubles(our.get("affine").get(r));
                double[] want = doubles(nib.get("affine").get(r));
                assertThat(affine[r]).as(file + " affine row " + r).containsExactly(want, within(1e-5));
                for (int c = 0; c < 4; c++) {
                    worstAffine = Math.max(worstAffine, Math.abs(affine[r][c] - want[c]));
                }
            }
            if (Nibabel.unambiguousOrientation(affine)) {
                assertThat(our.get("orientation").asText()).as(file).isEqualTo(nib.get("orientation").asText());
            }
            for (String stat : new String[] {"min", "max", "mean"}) {
                double want = nib.get(stat).asDouble();
                double got = our.get(stat).asDouble();
                double relative = Math.abs(got - want) / Math.max(Math.abs(want), 1e-30);
                assertThat(relative).as(file + " " + stat + ": " + got + " vs nibabel " + want).isLessThan(1e-6);
                if (stat.equals("mean")) {
                    worstMean = Math.max(worstMean, relative);
                }
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(25);
        assertThat(run.exit()).isEqualTo(Main.ERROR_EXIT);
        System.out.printf("inspect vs nibabel: %d files agree; largest affine difference %.3g, largest relative"
                + " mean difference %.3g%n", compared, worstAffine, worstMean);
    }

    @Test
    void printsAnAlignedTable() {
        Path a = write("a.nii.gz", new int[] {4, 3, 2}, NiftiDatatype.UINT8);
        Path b = write("bb.nii", new int[] {2, 2, 2, 3}, NiftiDatatype.FLOAT32);
        Run run = inspect(a.toString(), b.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        String[] lines = run.out().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("file").contains("format", "shape", "datatype", "spacing", "orientation");
        assertThat(lines[1]).startsWith(a.toString()).contains("nifti1", "4x3x2", "uint8", "1x2x3", "RAS");
        assertThat(lines[2]).startsWith(b.toString()).contains("2x2x2x3", "float32", "1x2x3x1");
        // every column starts at the same place on every line
        int shapeColumn = lines[0].indexOf("shape");
        assertThat(lines[1].indexOf("4x3x2")).isEqualTo(shapeColumn);
        assertThat(lines[2].indexOf("2x2x2x3")).isEqualTo(shapeColumn);
        assertThat(lines[1].length()).isEqualTo(lines[0].length());
    }

    @Test
    void anErrorInOneFileLeavesTheOthersAndExitsTwo() throws IOException {
        Path good = write("good.nii.gz", new int[] {3, 3, 3}, NiftiDatatype.INT16);
        Path missing = dir.resolve("missing.nii");
        Path junk = Files.writeString(dir.resolve("junk.nii"), "not a nifti file at all");
        Run run = inspect("--json", good.toString(), missing.toString(), junk.toString(), good.toString());
        assertThat(run.exit()).isEqualTo(Main.ERROR_EXIT);
        assertThat(run.out().split("\n")).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"nonzero\":26"));
        assertThat(run.err().split("\n")).containsExactly(
                "brainfm: " + missing + ": no such file",
                "brainfm: " + junk + ": sizeof_hdr = 544501614: not a NIfTI file (sizeof_hdr must be 348 for NIfTI-1"
                        + " or 540 for NIfTI-2, in either byte order)");
    }

    @Test
    void maxVoxelsLimitsTheImageSize() {
        Path f = write("f.nii", new int[] {3, 3, 3}, NiftiDatatype.UINT8);
        Run run = inspect("--max-voxels", "26", f.toString());
        assertThat(run.exit()).isEqualTo(Main.ERROR_EXIT);
        assertThat(run.err()).isEqualTo("brainfm: " + f + ": dim[1..3] = 3x3x3: 27 voxels, more than the limit of 26"
                + " (raise it with --max-voxels or -Dbrainfm.maxVoxels)\n");
        assertThat(inspect("--max-voxels", "27", f.toString()).exit()).isZero();
        Run zero = inspect("--max-voxels", "0", f.toString());
        assertThat(zero.err()).isEqualTo("brainfm: --max-voxels: 0: must be positive\n");
    }

    @Test
    void helpDescribesTheCommandWithAnExample() {
        Run run = inspect("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("--json", "--max-voxels", "Example:", "brainfm inspect");
        assertThat(inspect().err()).contains("brainfm: inspect: Missing required parameter");
    }

    private Path write(String name, int[] shape, NiftiDatatype type) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i;
        }
        double[][] affine = {{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 1}};
        Path f = dir.resolve(name);
        NiftiWriter.write(new Volume(shape, data, affine), f, type);
        return f;
    }

    private static String required(Path file) {
        if (!Files.exists(file)) {
            throw new AssertionError(file + " is missing: install mricron-data and python3-nibabel (scripts/test does)");
        }
        return file.toString();
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        Iterator<JsonNode> it = a.elements();
        for (int i = 0; it.hasNext(); i++) {
            out[i] = it.next().asDouble();
        }
        return out;
    }
}
