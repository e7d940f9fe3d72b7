package org.brainfm.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sites: the default renders as the phantom did before sites, another site as another scanner would. */
class PhantomSiteTest {
    /** Both lesions, one session: small enough to render in a test, large enough for statistics. */
    static final PhantomSettings SUBJECT = new PhantomSettings(11, 1, 1, 32, 1, 1);
    /**
     * {@link #digest} of {@code PhantomWriter.write(new PhantomSettings(3, 2, 2, 32, 0.5, 0.5), dir)}
     * made by the committed code before sites existed (commit 8d8f056): the default site must
     * keep every voxel, header and text file of it.
     */
    static final String BEFORE_SITES = "1dab64e305cda9650cacb8925c9737c0a0c1e483593c3aa476195a39a1f22cfa";

    @TempDir
    Path tmp;

    @Test
    void theDefaultSiteWritesThePhantomOfBeforeSitesBitForBit() throws IOException, GeneralSecurityException {
        PhantomWriter.write(new PhantomSettings(3, 2, 2, 32, 0.5, 0.5), tmp.resolve("absent"));
        assertThat(digest(tmp.resolve("absent"))).isEqualTo(BEFORE_SITES);
        // A site block that spells out the defaults renders the same voxels (its manifest names it).
        PhantomSite spelledOut = new PhantomSite(1, 1, Map.of("t1", 1.0, "t2", 1.0, "flair", 1.0, "dwi", 1.0), List.of(6.0, 6.0, 6.0));
        PhantomWriter.write(new PhantomSettings(3, 2, 2, 32, 0.5, 0.5, spelledOut), tmp.resolve("spelled"));
        for (String file : List.of("sub_2/ses_2/t1.nii.gz", "sub_2/ses_2/dwi.nii.gz", "sub_1/ses_1/seg.nii.gz", "participants.tsv")) {
            assertThat(tmp.resolve("spelled/" + file)).as(file).hasSameBinaryContentAs(tmp.resolve("absent/" + file));
        }
        assertThat(Files.readString(tmp.resolve("absent/phantom.json"))).doesNotContain("site");
        assertThat(Files.readString(tmp.resolve("spelled/phantom.json"))).contains("\"site\"", "\"voxel-mm\" : [ 6.0, 6.0, 6.0 ]");
    }

    @Test
    void noiseGainsAndBiasScaleWhatTheDefaultSiteDrawsOnTheSameAnatomy() {
        Anatomy a = Anatomy.of(SUBJECT, 0);
        PhantomSession base = Phantom.render(a, 0, 32);
        PhantomSession other = Phantom.render(a, 0, 32, new PhantomSite(2, 1, Map.of("flair", 0.5), null));
        assertThat(other.tissueCodes()).isEqualTo(base.tissueCodes());
        for (PhantomContrast c : PhantomContrast.values()) {
            assertThat(backgroundSigma(other, c) / backgroundSigma(base, c)).as(c.id() + " noise").isCloseTo(2, within(0.1));
            double gain = c == PhantomContrast.FLAIR ? 0.5 : 1;
            assertThat(whiteMatterMean(other, c) / whiteMatterMean(base, c)).as(c.id() + " gain").isCloseTo(gain, within(0.03));
        }
        // Without noise and bias field, deep white matter is one value per contrast; with them it is not.
        PhantomSession flat = Phantom.render(a, 0, 32, new PhantomSite(0, 0, Map.of(), null));
        for (PhantomContrast c : PhantomContrast.values()) {
            double[] range = deepWhiteMatterRange(flat, c);
            assertThat(range[1] - range[0]).as(c.id() + " flat").isLessThan(1e-3 * range[1]);
            double[] noisy = deepWhiteMatterRange(base, c);
            assertThat(noisy[1] - noisy[0]).as(c.id() + " default").isGreaterThan(0.1 * noisy[1]);
        }
    }

    @Test
    void largerVoxelsAverageTheRenderGridAndAreWrittenWithTheirSpacing() {
        Anatomy a = Anatomy.of(SUBJECT, 0);
        PhantomSession fine = Phantom.render(a, 0, 64, new PhantomSite(2, 1, Map.of(), null));
        PhantomSession thick = Phantom.render(a, 0, 64, new PhantomSite(2, 1, Map.of(), List.of(3.0, 6.0, 12.0)));
        assertThat(thick.shape()).containsExactly(64, 32, 16);
        assertThat(thick.spacing()).containsExactly(3, 6, 12);
        for (int v = 0; v < 64 * 32 * 16; v += 37) {
            int i = v % 64;
            int j = v / 64 % 32;
            int k = v / (64 * 32);
            double sum = 0;
            int[] votes = new int[Tissue.values().length];
            for (int dk = 0; dk < 4; dk++) {
                for (int dj = 0; dj < 2; dj++) {
                    int at = ((k * 4 + dk) * 64 + j * 2 + dj) * 64 + i;
                    sum += fine.images()[PhantomContrast.T2.ordinal()][at];
                    votes[fine.tissueCodes()[at]]++;
                }
            }
            assertThat((double) thick.images()[PhantomContrast.T2.ordinal()][v]).isCloseTo(sum / 8, within(1e-3));
            assertThat(votes[thick.tissueCodes()[v]]).isEqualTo(Arrays.stream(votes).max().orElseThrow());
        }
        // The brain keeps its volume; the grid keeps its centre.
        double wm = fine.millilitres(Tissue.WHITE_MATTER);
        assertThat(thick.millilitres(Tissue.WHITE_MATTER)).isCloseTo(wm, within(0.1 * wm));
        double[][] affine = thick.image(PhantomContrast.T1).affine();
        assertThat(affine[1][3] + 15.5 * 6).isCloseTo(0, within(1e-9));
        assertThat(affine[2][2]).isEqualTo(12);
    }

    @Test
    void aSiteOfItsOwnIsWrittenOnItsGridAndNamedInTheManifest() throws IOException {
        PhantomSite site = new PhantomSite(1.5, 2, Map.of("dwi", 1.25), List.of(6.0, 6.0, 12.0));
        Path dir = tmp.resolve("site");
        PhantomWriter.write(new PhantomSettings(3, 1, 1, 32, 0.5, 0.5, site), dir);
        for (String file : List.of("t1.nii.gz", "tissue.nii.gz", "seg.nii.gz")) {
            Volume v = NiftiReader.read(dir.resolve("sub_1/ses_1/" + file));
            assertThat(v.shape()).as(file).containsExactly(32, 32, 16);
            assertThat(v.spacing()).as(file).containsExactly(6, 6, 12);
        }
        assertThat(Files.readString(dir.resolve("phantom.json")))
                .contains("\"noise\" : 1.5", "\"bias\" : 2.0", "\"dwi\" : 1.25", "\"voxel-mm\" : [ 6.0, 6.0, 12.0 ]");
    }

    /** Rician noise in air is Rayleigh: sigma = sqrt(mean(x^2) / 2), over background voxels far from the head. */
    static double backgroundSigma(PhantomSession s, PhantomContrast c) {
        float[] img = s.images()[c.ordinal()];
        double sum = 0;
        int n = 0;
        for (int v = 0; v < img.length; v++) {
            if (s.tissueCodes()[v] == Tissue.BACKGROUND.code() && v % s.shape()[0] < 3) {
                sum += (double) img[v] * img[v];
                n++;
            }
        }
        return Math.sqrt(sum / n / 2);
    }

    static double whiteMatterMean(PhantomSession s, PhantomContrast c) {
        float[] img = s.images()[c.ordinal()];
        double sum = 0;
        int n = 0;
        for (int v = 0; v < img.length; v++) {
            if (s.tissueCodes()[v] == Tissue.WHITE_MATTER.code()) {
                sum += img[v];
                n++;
            }
        }
        return sum / n;
    }

    /** Min and max of white matter voxels whose 3^3 neighbourhood is white matter (untouched by the blur). */
    static double[] deepWhiteMatterRange(PhantomSession s, PhantomContrast c) {
        int n = s.shape()[0];
        float[] img = s.images()[c.ordinal()];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int k = 1; k < n - 1; k++) {
            for (int j = 1; j < n - 1; j++) {
                for (int i = 1; i < n - 1; i++) {
                    if (deep(s.tissueCodes(), n, i, j, k)) {
                        float x = img[(k * n + j) * n + i];
                        lo = Math.min(lo, x);
                        hi = Math.max(hi, x);
                    }
                }
            }
        }
        assertThat(lo).as("deep white matter exists").isFinite();
        return new double[] {lo, hi};
    }

    private static boolean deep(byte[] codes, int n, int i, int j, int k) {
        for (int dk = -1; dk <= 1; dk++) {
            for (int dj = -1; dj <= 1; dj++) {
                for (int di = -1; di <= 1; di++) {
                    if (codes[((k + dk) * n + j + dj) * n + i + di] != Tissue.WHITE_MATTER.code()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * SHA-256 over every file of a phantom folder in name order: its name, then for a NIfTI image
     * its shape, affine and voxel values (not the gzip bytes, which depend on zlib's version), else
     * its bytes.
     */
    static String digest(Path dir) throws IOException, GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> dir.relativize(p).toString())).toList();
        }
        for (Path f : files) {
            md.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            if (!f.toString().endsWith(".nii.gz")) {
                md.update(Files.readAllBytes(f));
                continue;
            }
            Volume v = NiftiReader.read(f);
            ByteBuffer b = ByteBuffer.allocate(3 * 4 + 16 * 8 + v.data().length * 4);
            for (int n : v.shape()) {
                b.putInt(n);
            }
            for (double[] row : v.affine()) {
                for (double x : row) {
                    b.putDouble(x);
                }
            }
            for (float x : v.data()) {
                b.putFloat(x);
            }
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
