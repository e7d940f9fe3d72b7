package org.brainfm.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scanner a phantom is rendered as: how noisy, how strong its bias field, how it scales each
 * contrast and how large its voxels are. Two datasets of different sites show the same kind of
 * anatomy as two hospitals' scanners would, so a task can test out-of-site generalisation.
 * {@link #DEFAULT} renders exactly as the phantom did before sites existed, bit for bit.
 *
 * @param noise   factor on the Rician noise's standard deviation (0 to 10)
 * @param bias    factor on the bias field's amplitude (0 to 3; 0 is a flat field)
 * @param gains   per contrast a factor on its intensities (above 0, at most 4); 1 when absent
 * @param voxelMm voxel size written (x, y, z mm), each a whole multiple of the render grid's
 *                voxel: the image is rendered on the size^3 grid and averaged over blocks, as a
 *                thick slice averages the tissue it spans; null keeps the render grid
 */
public record PhantomSite(double noise, double bias, Map<String, Double> gains, List<Double> voxelMm) {
    public static final PhantomSite DEFAULT = new PhantomSite(1, 1, Map.of(), null);
    static final double MAX_NOISE = 10;
    static final double MAX_BIAS = 3;
    /** Keeps the brightest tissue under bias and gain within int16. */
    static final double MAX_GAIN = 4;
    /** Voxels a written axis keeps at least (networks downsample by 16). */
    static final int MIN_VOXELS = 16;

    public PhantomSite {
        // Copies that keep the file's order and its mistakes (null values), for problems() to name.
        gains = gains == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(gains));
        voxelMm = voxelMm == null ? null : Collections.unmodifiableList(new ArrayList<>(voxelMm));
    }

    @JsonCreator
    static PhantomSite fromYaml(
            @JsonProperty("noise") Double noise,
            @JsonProperty("bias") Double bias,
            @JsonProperty("gains") Map<String, Double> gains,
            @JsonProperty("voxel-mm") List<Double> voxelMm) {
        return new PhantomSite(noise == null ? 1 : noise, bias == null ? 1 : bias, gains, voxelMm);
    }

    /** The factor on a contrast's intensities. */
    public double gain(PhantomContrast c) {
        Double g = gains.get(c.id());
        return g == null ? 1 : g;
    }

    /**
     * Render-grid voxels per written voxel along x, y, z, for a size^3 render grid; all 1 without
     * {@code voxel-mm}. Only for a site without {@link #problems}.
     */
    int[] blocks(int size) {
        int[] b = {1, 1, 1};
        if (voxelMm != null) {
            for (int a = 0; a < 3; a++) {
                b[a] = (int) Math.round(voxelMm.get(a) / (PhantomSettings.FOV_MM / size));
            }
        }
        return b;
    }

    /** What is wrong with this site on a size^3 render grid, by field under the site (noise, gains.flair, voxel-mm[2]). */
    Map<String, String> problems(int size) {
        Map<String, String> p = new LinkedHashMap<>();
        range(p, "noise", noise, 0, MAX_NOISE);
        range(p, "bias", bias, 0, MAX_BIAS);
        for (Map.Entry<String, Double> g : gains.entrySet()) {
            String field = "gains." + g.getKey();
            if (PhantomContrast.of(g.getKey()) == null) {
                p.put(field, "\"" + g.getKey() + "\" is not a contrast the phantom makes (" + String.join(", ", PhantomContrast.ids()) + ")");
            } else if (g.getValue() == null) {
                p.put(field, "needs a factor on the contrast's intensities");
            } else if (!(g.getValue() > 0 && g.getValue() <= MAX_GAIN)) {
                p.put(field, g.getValue() + " is not above 0 and at most " + format(MAX_GAIN));
            }
        }
        if (voxelMm != null) {
            List<String> allowed = allowedVoxels(size);
            if (voxelMm.size() != 3) {
                p.put("voxel-mm", "has " + voxelMm.size() + " values; it needs three (x, y, z mm)");
            }
            for (int a = 0; a < Math.min(3, voxelMm.size()); a++) {
                Double mm = voxelMm.get(a);
                if (mm == null || !allowed.contains(format(mm))) {
                    p.put("voxel-mm[" + a + "]", mm + " is not one of " + String.join(", ", allowed) + " mm (whole multiples of the "
                            + format(PhantomSettings.FOV_MM / size) + " mm voxel of the size-" + size
                            + " render grid that divide it and leave at least " + MIN_VOXELS + " voxels)");
                }
            }
        }
        return p;
    }

    /** The voxel sizes a size^3 render grid can be averaged into, as the file would write them. */
    private static List<String> allowedVoxels(int size) {
        List<String> mm = new ArrayList<>();
        for (int k = 1; size / k >= MIN_VOXELS; k++) {
            if (size % k == 0) {
                mm.add(format(k * PhantomSettings.FOV_MM / size));
            }
        }
        return mm;
    }

    private static String format(double mm) {
        return String.format(Locale.ROOT, "%.6f", mm).replaceFirst("\\.?0+$", "");
    }

    private static void range(Map<String, String> p, String field, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            p.put(field, v + " is not between " + format(lo) + " and " + format(hi));
        }
    }
}
