package org.brainfm.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.brainfm.volume.Nibabel;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Orientation;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The phantom, measured on the files it writes: determinism, contrasts, anatomy, age and pathology. */
class PhantomTest {
    /** Every subject with both lesions, 64^3 as the tasks use it. */
    static final PhantomSettings LESIONS = new PhantomSettings(11, 3, 2, 64, 1, 1);

    @TempDir
    static Path tmp;

    static Path lesions;

    @BeforeAll
    static void writeLesionPhantom() {
        lesions = tmp.resolve("lesions");
        PhantomWriter.write(LESIONS, lesions);
    }

    @Test
    void sameSettingsGiveTheSameBytesAndSubjectsDoNotDependOnTheirNumber() throws IOException {
        PhantomSettings three = new PhantomSettings(3, 3, 2, 32, 0.5, 0.5);
        PhantomWriter.write(three, tmp.resolve("a"));
        PhantomWriter.write(three, tmp.resolve("b"));
        PhantomWriter.write(new PhantomSettings(3, 1, 2, 32, 0.5, 0.5), tmp.resolve("one"));
        Map<String, String> a = hashes(tmp.resolve("a"));
        assertThat(a).containsKeys("phantom.json", "participants.tsv", "sub_3/label.txt", "sub_3/age.txt",
                "sub_3/ses_2/t1.nii.gz", "sub_3/ses_2/t2.nii.gz", "sub_3/ses_2/flair.nii.gz", "sub_3/ses_2/dwi.nii.gz",
                "sub_3/ses_2/tissue.nii.gz", "sub_3/ses_2/seg.nii.gz");
        assertThat(hashes(tmp.resolve("b"))).isEqualTo(a);
        Map<String, String> one = hashes(tmp.resolve("one"));
        one.keySet().removeIf(k -> !k.startsWith("sub_"));
        assertThat(one).hasSize(14).allSatisfy((file, hash) -> assertThat(a.get(file)).as(file).isEqualTo(hash));
        // A different seed is a different phantom.
        PhantomWriter.write(new PhantomSettings(4, 1, 2, 32, 0.5, 0.5), tmp.resolve("other"));
        assertThat(hashes(tmp.resolve("other")).get("sub_1/ses_1/t1.nii.gz")).isNotEqualTo(a.get("sub_1/ses_1/t1.nii.gz"));
    }

    @Test
    void rewritingReplacesAnEarlierPhantomWhole() throws IOException {
        Path dir = tmp.resolve("rewrite");
        PhantomWriter.write(new PhantomSettings(1, 3, 1, 32, 0, 0), dir);
        PhantomWriter.write(new PhantomSettings(1, 1, 1, 32, 0, 0), dir);
        try (Stream<Path> list = Files.list(dir)) {
            assertThat(list.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("participants.tsv", "phantom.json", "sub_1");
        }
        try (Stream<Path> list = Files.list(tmp)) {
            assertThat(list.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("partial"));
        }
    }

    @Test
    void everyContrastKeepsItsTissueOrderingOnTheWrittenFiles() {
        for (int s = 1; s <= LESIONS.subjects(); s++) {
            Path ses = lesions.resolve("sub_" + s + "/ses_1");
            byte[] tissue = codes(NiftiReader.read(ses.resolve("tissue.nii.gz")));
            Map<String, double[]> median = new TreeMap<>();
            for (PhantomContrast c : PhantomContrast.values()) {
                median.put(c.id(), medians(NiftiReader.read(ses.resolve(c.id() + ".nii.gz")).data(), tissue));
            }
            double[] t1 = median.get("t1");
            double[] t2 = median.get("t2");
            double[] flair = median.get("flair");
            double[] dwi = median.get("dwi");
            String at = "sub_" + s;
            assertThat(t1[code(Tissue.WHITE_MATTER)]).as(at + " T1 WM > GM").isGreaterThan(t1[code(Tissue.CORTEX)] * 1.1);
            assertThat(t1[code(Tissue.CORTEX)]).as(at + " T1 GM > CSF").isGreaterThan(t1[code(Tissue.VENTRICLES)] * 1.1);
            assertThat(t2[code(Tissue.VENTRICLES)]).as(at + " T2 CSF > GM").isGreaterThan(t2[code(Tissue.CORTEX)] * 1.1);
            assertThat(t2[code(Tissue.CORTEX)]).as(at + " T2 GM > WM").isGreaterThan(t2[code(Tissue.WHITE_MATTER)] * 1.1);
            assertThat(flair[code(Tissue.VENTRICLES)]).as(at + " FLAIR CSF dark").isLessThan(flair[code(Tissue.WHITE_MATTER)] * 0.7);
            assertThat(flair[code(Tissue.CSF)]).as(at + " FLAIR CSF darker than GM").isLessThan(flair[code(Tissue.CORTEX)] * 0.8);
            assertThat(flair[code(Tissue.MENINGIOMA)]).as(at + " FLAIR meningioma bright").isGreaterThan(flair[code(Tissue.CORTEX)] * 1.2);
            assertThat(flair[code(Tissue.INFARCT)]).as(at + " FLAIR infarct bright").isGreaterThan(flair[code(Tissue.CORTEX)] * 1.2);
            for (Tissue t : List.of(Tissue.CSF, Tissue.CORTEX, Tissue.WHITE_MATTER, Tissue.DEEP_GREY, Tissue.VENTRICLES, Tissue.MENINGIOMA)) {
                assertThat(dwi[code(Tissue.INFARCT)]).as(at + " DWI infarct brighter than " + t).isGreaterThan(dwi[code(t)] * 1.4);
            }
        }
    }

    @Test
    void allContrastsOfASessionAreRenderedFromItsTissueMap() {
        Path ses = lesions.resolve("sub_1/ses_1");
        Volume tissueVolume = NiftiReader.read(ses.resolve("tissue.nii.gz"));
        byte[] tissue = codes(tissueVolume);
        byte[] shifted = shift(tissue, 64, 2);
        for (PhantomContrast c : PhantomContrast.values()) {
            Volume image = NiftiReader.read(ses.resolve(c.id() + ".nii.gz"));
            assertThat(image.shape()).isEqualTo(tissueVolume.shape());
            assertThat(image.affine()).isEqualTo(tissueVolume.affine());
            double explained = explainedVariance(image.data(), tissue, tissue);
            double off = explainedVariance(image.data(), shifted, tissue);
            // Inside the skull, the tissue classes explain most of the signal; the same map 2 voxels off much less.
            assertThat(explained).as(c.id()).isGreaterThan(0.6);
            assertThat(off).as(c.id() + " shifted").isLessThan(explained - 0.2);
        }
        byte[] seg = codes(NiftiReader.read(ses.resolve("seg.nii.gz")));
        for (int v = 0; v < seg.length; v++) {
            assertThat(seg[v] == 1).isEqualTo(tissue[v] == Tissue.MENINGIOMA.code());
        }
    }

    @Test
    void sessionsShareAnatomyButNotPoseNoiseOrBias() {
        Path sub = lesions.resolve("sub_2");
        byte[] a = codes(NiftiReader.read(sub.resolve("ses_1/tissue.nii.gz")));
        byte[] b = codes(NiftiReader.read(sub.resolve("ses_2/tissue.nii.gz")));
        for (Tissue t : List.of(Tissue.VENTRICLES, Tissue.WHITE_MATTER, Tissue.MENINGIOMA)) {
            double va = count(a, t);
            double vb = count(b, t);
            assertThat(Math.abs(va - vb) / va).as(t + " volume in both sessions").isLessThan(0.1);
        }
        double dice = dice(a, b, Tissue.WHITE_MATTER);
        assertThat(dice).as("white matter overlap between sessions: moved a little").isBetween(0.6, 0.995);
        float[] t1a = NiftiReader.read(sub.resolve("ses_1/t1.nii.gz")).data();
        float[] t1b = NiftiReader.read(sub.resolve("ses_2/t1.nii.gz")).data();
        assertThat(t1a).isNotEqualTo(t1b);
    }

    @Test
    void ventriclesGrowAndCortexThinsWithAge() {
        PhantomSettings s = new PhantomSettings(21, 40, 1, 64, 0, 0);
        double[] age = new double[s.subjects()];
        double[] ventricles = new double[s.subjects()];
        double[] cortexShare = new double[s.subjects()];
        double[] csf = new double[s.subjects()];
        for (int i = 0; i < s.subjects(); i++) {
            Anatomy a = Anatomy.of(s, i);
            byte[] tissue = Phantom.tissueMap(a, 0, s.size());
            age[i] = a.age();
            ventricles[i] = count(tissue, Tissue.VENTRICLES);
            double brain = count(tissue, Tissue.CORTEX) + count(tissue, Tissue.WHITE_MATTER) + count(tissue, Tissue.DEEP_GREY);
            cortexShare[i] = count(tissue, Tissue.CORTEX) / brain;
            csf[i] = count(tissue, Tissue.CSF) / (brain + count(tissue, Tissue.CSF) + ventricles[i]);
        }
        assertThat(Arrays.stream(age).min().getAsDouble()).isBetween(20.0, 30.0);
        assertThat(Arrays.stream(age).max().getAsDouble()).isBetween(80.0, 90.0);
        assertThat(pearson(age, ventricles)).as("ventricle volume vs age").isGreaterThan(0.8);
        assertThat(pearson(age, csf)).as("CSF share of the intracranial volume vs age").isGreaterThan(0.8);
        assertThat(pearson(age, cortexShare)).as("cortex share of the brain vs age").isLessThan(-0.5);
    }

    @Test
    void pathologyComesInTheSharesAskedForAndShowsInTheLabels() throws IOException {
        PhantomSettings s = new PhantomSettings(8, 40, 1, 64, 0.3, 0.3);
        int meningiomas = 0;
        int infarcts = 0;
        for (int i = 0; i < s.subjects(); i++) {
            Anatomy a = Anatomy.of(s, i);
            meningiomas += a.hasMeningioma() ? 1 : 0;
            infarcts += a.hasInfarct() ? 1 : 0;
            if (i < 10) {
                byte[] tissue = Phantom.tissueMap(a, 0, s.size());
                assertThat(count(tissue, Tissue.MENINGIOMA) > 0).as("meningioma voxels of subject " + i).isEqualTo(a.hasMeningioma());
                assertThat(count(tissue, Tissue.INFARCT) > 0).as("infarct voxels of subject " + i).isEqualTo(a.hasInfarct());
            }
        }
        assertThat(meningiomas).isBetween(11, 13);
        assertThat(infarcts).isBetween(11, 13);
        // Shares move pathology only: anatomy stays.
        Anatomy none = Anatomy.of(new PhantomSettings(8, 40, 1, 64, 0, 0), 5);
        assertThat(none.age()).isEqualTo(Anatomy.of(s, 5).age());
        assertThat(none.hasMeningioma() || none.hasInfarct()).isFalse();
        for (int sub = 1; sub <= LESIONS.subjects(); sub++) {
            assertThat(Files.readString(lesions.resolve("sub_" + sub + "/label.txt"))).isEqualTo("1\n");
            double written = Double.parseDouble(Files.readString(lesions.resolve("sub_" + sub + "/age.txt")).trim());
            assertThat(written).isCloseTo(Anatomy.of(LESIONS, sub - 1).age(), org.assertj.core.data.Offset.offset(0.05));
        }
    }

    @Test
    void meningiomasSitOnTheDuraAndInfarctsInsideTheBrain() {
        for (int s = 1; s <= LESIONS.subjects(); s++) {
            byte[] t = codes(NiftiReader.read(lesions.resolve("sub_" + s + "/ses_1/tissue.nii.gz")));
            int n = 64;
            int onSkull = 0;
            int infarctOutside = 0;
            for (int z = 1; z < n - 1; z++) {
                for (int y = 1; y < n - 1; y++) {
                    for (int x = 1; x < n - 1; x++) {
                        int v = x + n * (y + n * z);
                        int[] neighbours = {v - 1, v + 1, v - n, v + n, v - n * n, v + n * n};
                        if (t[v] == Tissue.MENINGIOMA.code() && Arrays.stream(neighbours).anyMatch(u -> t[u] == Tissue.SKULL.code())) {
                            onSkull++;
                        }
                        if (t[v] == Tissue.INFARCT.code() && Arrays.stream(neighbours).anyMatch(u -> t[u] == Tissue.SKULL.code() || t[u] == Tissue.BACKGROUND.code())) {
                            infarctOutside++;
                        }
                    }
                }
            }
            assertThat(onSkull).as("meningioma voxels touching the skull, sub_" + s).isGreaterThan(3);
            assertThat(infarctOutside).isZero();
        }
    }

    @Test
    void nibabelReadsTheFilesWithTheirShapeAffineAndType() {
        List<String> files = new ArrayList<>();
        for (String f : List.of("t1", "t2", "flair", "dwi", "tissue", "seg")) {
            files.add(lesions.resolve("sub_1/ses_1/" + f + ".nii.gz").toString());
        }
        Map<String, JsonNode> out = Nibabel.run("stats", files);
        for (String f : files) {
            JsonNode n = out.get(f);
            assertThat(n.has("error")).as(f + ": " + n.path("error").asText()).isFalse();
            assertThat(n.get("shape").toString()).isEqualTo("[64,64,64]");
            assertThat(n.get("orientation").asText()).isEqualTo("RAS");
            assertThat(n.get("spacing").toString()).isEqualTo("[3.0,3.0,3.0]");
            assertThat(n.get("affine").get(0).get(3).asDouble()).isEqualTo(-94.5);
            boolean label = f.endsWith("tissue.nii.gz") || f.endsWith("seg.nii.gz");
            assertThat(n.get("datatype").asText()).isEqualTo(label ? "uint8" : "int16");
            assertThat(n.get("min").asDouble()).isGreaterThanOrEqualTo(0);
            if (f.endsWith("seg.nii.gz")) {
                assertThat(n.get("max").asDouble()).isEqualTo(1);
            }
            if (f.endsWith("tissue.nii.gz")) {
                assertThat(n.get("max").asDouble()).isEqualTo(Tissue.INFARCT.code());
            }
        }
        assertThat(Orientation.code(NiftiReader.read(Path.of(files.get(0))).affine())).isEqualTo("RAS");
    }

    @Test
    void blurKeepsTheSumAndSpreadsAVoxelOverItsNeighbours() {
        int n = 8;
        float[] img = new float[n * n * n];
        img[3 + n * (4 + n * 5)] = 64;
        float[] out = Phantom.blur(img, n);
        double sum = 0;
        for (float v : out) {
            sum += v;
        }
        assertThat(sum).isCloseTo(64, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(out[3 + n * (4 + n * 5)]).isEqualTo(8f);
        assertThat(out[4 + n * (4 + n * 5)]).isEqualTo(4f);
        assertThat(out[4 + n * (5 + n * 6)]).isEqualTo(1f);
    }

    // ---- measurements

    static int code(Tissue t) {
        return t.code();
    }

    static byte[] codes(Volume v) {
        byte[] b = new byte[v.data().length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Math.round(v.data()[i]);
        }
        return b;
    }

    static double count(byte[] tissue, Tissue t) {
        int n = 0;
        for (byte b : tissue) {
            n += b == t.code() ? 1 : 0;
        }
        return n;
    }

    static double[] medians(float[] image, byte[] tissue) {
        double[] m = new double[Tissue.values().length];
        for (Tissue t : Tissue.values()) {
            List<Float> values = new ArrayList<>();
            for (int v = 0; v < image.length; v++) {
                if (tissue[v] == t.code()) {
                    values.add(image[v]);
                }
            }
            values.sort(null);
            m[t.code()] = values.isEmpty() ? Double.NaN : values.get(values.size() / 2);
        }
        return m;
    }

    /**
     * Share of the intensity variance inside the skull (as {@code region} has it) that the
     * classes of {@code tissue} explain (R^2).
     */
    static double explainedVariance(float[] image, byte[] tissue, byte[] region) {
        int k = Tissue.values().length;
        double[] sum = new double[k];
        int[] n = new int[k];
        double total = 0;
        int count = 0;
        for (int v = 0; v < image.length; v++) {
            if (!intracranial(region[v])) {
                continue;
            }
            sum[tissue[v]] += image[v];
            n[tissue[v]]++;
            total += image[v];
            count++;
        }
        double mean = total / count;
        double ssTotal = 0;
        double ssWithin = 0;
        for (int v = 0; v < image.length; v++) {
            if (!intracranial(region[v])) {
                continue;
            }
            double classMean = sum[tissue[v]] / n[tissue[v]];
            ssTotal += (image[v] - mean) * (image[v] - mean);
            ssWithin += (image[v] - classMean) * (image[v] - classMean);
        }
        return 1 - ssWithin / ssTotal;
    }

    static boolean intracranial(byte code) {
        return code != Tissue.BACKGROUND.code() && code != Tissue.SKULL.code() && code != Tissue.SCALP.code();
    }

    static byte[] shift(byte[] tissue, int n, int by) {
        byte[] out = new byte[tissue.length];
        for (int v = 0; v < tissue.length; v++) {
            int x = v % n;
            out[v] = x + by < n ? tissue[v + by] : 0;
        }
        return out;
    }

    static double dice(byte[] a, byte[] b, Tissue t) {
        double both = 0;
        double sum = 0;
        for (int v = 0; v < a.length; v++) {
            boolean x = a[v] == t.code();
            boolean y = b[v] == t.code();
            both += x && y ? 1 : 0;
            sum += (x ? 1 : 0) + (y ? 1 : 0);
        }
        return 2 * both / sum;
    }

    static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> h = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                h.put(dir.relativize(f).toString(), sha256(Files.readAllBytes(f)));
            }
        }
        return h;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
