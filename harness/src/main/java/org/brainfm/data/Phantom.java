package org.brainfm.data;

import java.util.SplittableRandom;

/**
 * Renders one session of a phantom subject: the tissue map from the subject's {@link Anatomy}
 * in the session's pose, then every contrast from that one map (intensity table, a light
 * partial-volume blur, a smooth multiplicative bias field and Rician noise), so all contrasts
 * of a session are co-registered by construction.
 */
public final class Phantom {
    static final double SKULL_MM = 5;
    static final double SCALP_MM = 5;
    /** Sulci reach this deep below the brain's outline. */
    static final double SULCUS_DEPTH_MM = 18;
    /** Brain semi-axes the deep structures below are drawn for; they scale with the real brain. */
    private static final double[] REFERENCE_BRAIN = {62, 77, 58};
    /** Noise standard deviation on the intensity tables' scale (white matter on T1 near 850). */
    static final double NOISE = 18;

    private Phantom() {}

    /** Session {@code session} (0-based) of subject {@code anatomy} on a size^3 grid, as the default site renders it. */
    public static PhantomSession render(Anatomy anatomy, int session, int size) {
        return render(anatomy, session, size, PhantomSite.DEFAULT);
    }

    /**
     * Session {@code session} (0-based) of subject {@code anatomy} rendered on a size^3 grid as
     * {@code site} would, then averaged into the site's voxels. The site scales factors drawn
     * as before and draws nothing itself, so every site sees the same anatomy, pose and draws.
     */
    public static PhantomSession render(Anatomy anatomy, int session, int size, PhantomSite site) {
        SplittableRandom r = anatomy.sessionRandom(session);
        double spacing = PhantomSettings.FOV_MM / size;
        byte[] tissue = tissueMap(new Geometry(anatomy, sessionPose(anatomy, r)), size, spacing);
        PhantomContrast[] contrasts = PhantomContrast.values();
        float[][] images = new float[contrasts.length][];
        for (PhantomContrast c : contrasts) {
            images[c.ordinal()] = contrast(anatomy, c, tissue, size, r, site);
        }
        int[] grid = {size, size, size};
        return new PhantomSession(grid, new double[] {spacing, spacing, spacing}, tissue, images).averaged(site.blocks(size));
    }

    /** The tissue map alone of a session (what {@link #render} starts from), without the images' cost. */
    public static byte[] tissueMap(Anatomy anatomy, int session, int size) {
        SplittableRandom r = anatomy.sessionRandom(session);
        return tissueMap(new Geometry(anatomy, sessionPose(anatomy, r)), size, PhantomSettings.FOV_MM / size);
    }

    /** The subject's pose moved a little: a new session is a new placement in the scanner. */
    private static double[] sessionPose(Anatomy anatomy, SplittableRandom r) {
        double[] pose = anatomy.pose.clone();
        for (int a = 0; a < 3; a++) {
            pose[a] += Math.toRadians(2 * (2 * r.nextDouble() - 1));
            pose[3 + a] += 2 * (2 * r.nextDouble() - 1);
        }
        return pose;
    }

    private static byte[] tissueMap(Geometry g, int n, double spacing) {
        byte[] labels = new byte[n * n * n];
        double centre = (n - 1) / 2.0;
        int v = 0;
        for (int k = 0; k < n; k++) {
            double z = (k - centre) * spacing;
            for (int j = 0; j < n; j++) {
                double y = (j - centre) * spacing;
                for (int i = 0; i < n; i++) {
                    labels[v++] = (byte) g.label((i - centre) * spacing, y, z);
                }
            }
        }
        return labels;
    }

    private static float[] contrast(Anatomy a, PhantomContrast c, byte[] tissue, int n, SplittableRandom r, PhantomSite site) {
        float[] table = new float[Tissue.values().length];
        for (Tissue t : Tissue.values()) {
            double drift = t == Tissue.WHITE_MATTER ? 1 + c.whiteMatterDriftPerYear() * (a.age - Anatomy.MIN_AGE) : 1;
            table[t.code()] = (float) (c.intensity(t) * a.intensityJitter[c.ordinal()][t.code()] * drift);
        }
        float[] img = new float[tissue.length];
        for (int v = 0; v < img.length; v++) {
            img[v] = table[tissue[v]];
        }
        img = blur(img, n);
        // The site's factors are 1 by default, and x * 1.0 == x: the default site renders as before.
        double gain = (0.9 + 0.2 * r.nextDouble()) * site.gain(c);
        float[][] bias = {biasProfile(n, r, site.bias()), biasProfile(n, r, site.bias()), biasProfile(n, r, site.bias())};
        double sigma = NOISE * site.noise() * (0.8 + 0.4 * r.nextDouble());
        int v = 0;
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                double byz = gain * bias[1][j] * bias[2][k];
                for (int i = 0; i < n; i++, v++) {
                    // Rician: the magnitude of a complex signal with Gaussian noise on both channels.
                    double re = img[v] * bias[0][i] * byz + sigma * r.nextGaussian();
                    double im = sigma * r.nextGaussian();
                    img[v] = (float) Math.sqrt(re * re + im * im);
                }
            }
        }
        return img;
    }

    /** One axis of a separable bias field: exp of a slow sinusoid, within about +-15 % x strength. */
    private static float[] biasProfile(int n, SplittableRandom r, double strength) {
        double amplitude = (0.04 + 0.1 * r.nextDouble()) * strength;
        double frequency = Math.PI * (0.4 + 0.6 * r.nextDouble());
        double phase = 2 * Math.PI * r.nextDouble();
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            double x = 2.0 * i / (n - 1) - 1;
            p[i] = (float) Math.exp(amplitude * Math.sin(frequency * x + phase));
        }
        return p;
    }

    /**
     * [1 2 1]/4 along each axis: the partial-volume blur of a scanner's point spread. Every
     * inner loop runs along x, contiguous in memory, also when blurring along y and z.
     */
    static float[] blur(float[] img, int n) {
        float[] tmp = new float[img.length];
        for (int row = 0; row < img.length; row += n) {
            for (int i = 0; i < n; i++) {
                tmp[row + i] = 0.25f * img[row + Math.max(i - 1, 0)] + 0.5f * img[row + i] + 0.25f * img[row + Math.min(i + 1, n - 1)];
            }
        }
        int plane = n * n;
        blurAcross(tmp, img, n, n, plane);
        blurAcross(img, tmp, n, plane, img.length);
        return tmp;
    }

    /** Blurs along the axis of {@code stride} within blocks of {@code block} voxels, row by row. */
    private static void blurAcross(float[] in, float[] out, int n, int stride, int block) {
        for (int base = 0; base < in.length; base += block) {
            for (int p = 0; p < n; p++) {
                int row = base + p * stride;
                int lo = base + Math.max(p - 1, 0) * stride;
                int hi = base + Math.min(p + 1, n - 1) * stride;
                for (int q = 0; q < stride; q += n) {
                    for (int i = 0; i < n; i++) {
                        out[row + q + i] = 0.25f * in[lo + q + i] + 0.5f * in[row + q + i] + 0.25f * in[hi + q + i];
                    }
                }
            }
        }
    }

    /** The subject's anatomy in one pose: the tissue class at any point of the scanner frame. */
    static final class Geometry {
        private final Anatomy a;
        private final double[][] rot;
        private final double[] shift;
        private final double[] brain = new double[3];
        /** Reference-frame scale: brain mm to REFERENCE_BRAIN mm per axis. */
        private final double[] ref = new double[3];
        private final double outerLimit;
        private final double[] meningiomaCentre = new double[3];
        private final double[][] infarctCentres;

        Geometry(Anatomy a, double[] pose) {
            this.a = a;
            rot = rotation(pose[0], pose[1], pose[2]);
            shift = new double[] {pose[3], pose[4], pose[5]};
            for (int i = 0; i < 3; i++) {
                brain[i] = a.icv[i] * a.brainFraction;
                ref[i] = REFERENCE_BRAIN[i] / brain[i];
            }
            double minIcv = Math.min(a.icv[0], Math.min(a.icv[1], a.icv[2]));
            double maxBump = 0;
            for (double[] w : a.shapeWaves) {
                maxBump += w[4];
            }
            outerLimit = (1 + maxBump) * (1 + (SKULL_MM + SCALP_MM) / minIcv) + 0.01;
            double[] d = a.meningiomaDirection;
            double m = Math.sqrt(sq(d[0] / a.icv[0]) + sq(d[1] / a.icv[1]) + sq(d[2] / a.icv[2]));
            double toSurface = shape(d[0] / a.icv[0] / m, d[1] / a.icv[1] / m, d[2] / a.icv[2] / m) / m;
            for (int i = 0; i < 3; i++) {
                // The mass grows from the dura inwards: its centre a little inside the inner table.
                meningiomaCentre[i] = d[i] * (toSurface - 0.2 * a.meningiomaRadius);
            }
            infarctCentres = new double[a.infarcts.length][3];
            for (int l = 0; l < a.infarcts.length; l++) {
                for (int i = 0; i < 3; i++) {
                    infarctCentres[l][i] = a.infarcts[l][i] * brain[i];
                }
            }
        }

        /** Tissue code at scanner point (px, py, pz) mm. */
        int label(double px, double py, double pz) {
            double dx = px - shift[0];
            double dy = py - shift[1];
            double dz = pz - shift[2];
            // Scanner to subject frame: the transpose of the pose rotation.
            double x = rot[0][0] * dx + rot[1][0] * dy + rot[2][0] * dz;
            double y = rot[0][1] * dx + rot[1][1] * dy + rot[2][1] * dz;
            double z = rot[0][2] * dx + rot[1][2] * dy + rot[2][2] * dz;
            double ux = x / a.icv[0];
            double uy = y / a.icv[1];
            double uz = z / a.icv[2];
            double r = Math.sqrt(ux * ux + uy * uy + uz * uz);
            if (r > outerLimit) {
                return Tissue.BACKGROUND.code();
            }
            double rr = r < 1e-9 ? 0 : r / shape(ux / r, uy / r, uz / r);
            double len = Math.sqrt(x * x + y * y + z * z);
            if (rr >= 1) {
                double outside = len * (1 - 1 / rr);
                return outside < SKULL_MM ? Tissue.SKULL.code()
                        : outside < SKULL_MM + SCALP_MM ? Tissue.SCALP.code() : Tissue.BACKGROUND.code();
            }
            double toMeningioma = a.meningioma ? lobed(x, y, z, meningiomaCentre, a.meningiomaRadius, a.meningiomaLobes, 0.12) : 2;
            if (toMeningioma < 1) {
                return Tissue.MENINGIOMA.code();
            }
            int code = brain(x, y, z, rr, len);
            if (!Tissue.isParenchyma(code)) {
                return code;
            }
            // A cleft of CSF separates the extra-axial mass from the brain it pushes on.
            if (toMeningioma < 1 + 3.0 / a.meningiomaRadius) {
                return Tissue.CSF.code();
            }
            if (a.infarct) {
                for (int l = 0; l < infarctCentres.length; l++) {
                    if (lobed(x, y, z, infarctCentres[l], a.infarcts[l][3], a.infarctLobes, 0.25) < 1) {
                        return Tissue.INFARCT.code();
                    }
                }
            }
            return code;
        }

        /** Tissue inside the intracranial cavity: CSF spaces, cortex, white matter, nuclei, ventricles. */
        private int brain(double x, double y, double z, double rr, double len) {
            double rb = rr / a.brainFraction;
            if (rb >= 1) {
                return Tissue.CSF.code();
            }
            double depth = len * (1 / rb - 1);
            double xr = x * ref[0];
            double yr = y * ref[1];
            double zr = z * ref[2];
            double t = a.cortexMm;
            double halfSulcus = a.sulcusMm / 2;
            // The interhemispheric fissure splits the hemispheres except through the central core
            // (corpus callosum, nuclei, ventricles).
            double ax = Math.abs(x);
            double fissure = halfSulcus + 0.8;
            if (ax < fissure + t && sq((yr + 4) / 44) + sq((zr + 9) / 27) > 1) {
                return ax < fissure ? Tissue.CSF.code() : Tissue.CORTEX.code();
            }
            if (depth < SULCUS_DEPTH_MM + t) {
                // Waves sampled part-way to the outline: sulci run roughly radially but curve.
                double lift = Math.pow(rb, -0.6);
                double fromSulcus = fromSulcus(x * lift, y * lift, z * lift) / lift;
                double sulcusDepth = SULCUS_DEPTH_MM * (0.75 + 0.25 * Math.sin(0.9 * a.foldWaveNumber * (x - y + z)));
                if (depth < sulcusDepth && fromSulcus < halfSulcus) {
                    return Tissue.CSF.code();
                }
                if (depth < t || depth < sulcusDepth + t && fromSulcus < halfSulcus + t) {
                    return Tissue.CORTEX.code();
                }
            }
            if (ventricle(xr, yr, zr)) {
                return Tissue.VENTRICLES.code();
            }
            if (nucleus(xr, yr, zr)) {
                return Tissue.DEEP_GREY.code();
            }
            return Tissue.WHITE_MATTER.code();
        }

        /**
         * Distance in mm from the nearest sulcus, for a point (x, y, z) on the brain's outline:
         * sulci run where the sum of the folding waves is zero; |sum| / |gradient| estimates the
         * distance. Sampling the waves on the outline, not at depth, makes every sulcus radial.
         */
        private double fromSulcus(double x, double y, double z) {
            double f = 0;
            double gx = 0;
            double gy = 0;
            double gz = 0;
            for (double[] w : a.folds) {
                double phase = w[0] * x + w[1] * y + w[2] * z + w[3];
                f += Math.sin(phase);
                double c = Math.cos(phase);
                gx += w[0] * c;
                gy += w[1] * c;
                gz += w[2] * c;
            }
            double gradient = Math.max(Math.sqrt(gx * gx + gy * gy + gz * gz), 0.5 * a.foldWaveNumber);
            return Math.abs(f) / gradient;
        }

        /** Lateral ventricles (curved, tapering tubes) and the third ventricle, in reference mm. */
        private boolean ventricle(double x, double y, double z) {
            double v = a.ventricleScale;
            double half = 32 * (1 + 0.2 * (v - 1));
            double along = (y + 6) / half;
            double taper = 1 - along * along;
            if (taper > 0) {
                double xc = 6 + 0.006 * sq(y - 10);
                double zc = 3 - 0.006 * sq(y + 6);
                double ex = (Math.abs(x) - xc) / (4.0 * v);
                double ez = (z - zc) / (5.5 * v);
                if (ex * ex + ez * ez < taper) {
                    return true;
                }
            }
            return Math.abs(x) < 0.8 * v && sq((y + 4) / 10) + sq((z + 11) / 8) < 1;
        }

        private boolean nucleus(double x, double y, double z) {
            double s = a.nucleiScale;
            double ax = Math.abs(x);
            return inside(ax - 10, y + 12, z + 9, 7 * s, 11 * s, 8 * s) // thalamus
                    || inside(ax - 12, y - 14, z - 1, 4.5 * s, 9 * s, 7 * s) // caudate head
                    || inside(ax - 23, y - 4, z + 9, 5 * s, 13 * s, 9 * s); // putamen
        }

        /** Scale of the head outline in direction (dx, dy, dz) of the normalised frame. */
        private double shape(double dx, double dy, double dz) {
            double s = 1;
            for (double[] w : a.shapeWaves) {
                s += w[4] * Math.sin(w[0] * dx + w[1] * dy + w[2] * dz + w[3]);
            }
            return s;
        }

        private static double lobed(double x, double y, double z, double[] c, double radius, double[][] lobes, double depth) {
            double dx = x - c[0];
            double dy = y - c[1];
            double dz = z - c[2];
            double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
            if (d > radius * 1.6 + 4) {
                return 2;
            }
            double bumps = 1;
            if (d > 1e-9) {
                for (double[] l : lobes) {
                    bumps += depth / lobes.length * Math.sin((l[0] * dx + l[1] * dy + l[2] * dz) / d + l[3]);
                }
            }
            return d / (radius * bumps);
        }

        private static boolean inside(double x, double y, double z, double rx, double ry, double rz) {
            return sq(x / rx) + sq(y / ry) + sq(z / rz) < 1;
        }

        private static double[][] rotation(double yaw, double pitch, double roll) {
            double[][] rz = {{Math.cos(yaw), -Math.sin(yaw), 0}, {Math.sin(yaw), Math.cos(yaw), 0}, {0, 0, 1}};
            double[][] rx = {{1, 0, 0}, {0, Math.cos(pitch), -Math.sin(pitch)}, {0, Math.sin(pitch), Math.cos(pitch)}};
            double[][] ry = {{Math.cos(roll), 0, Math.sin(roll)}, {0, 1, 0}, {-Math.sin(roll), 0, Math.cos(roll)}};
            return multiply(rz, multiply(rx, ry));
        }

        private static double[][] multiply(double[][] p, double[][] q) {
            double[][] m = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 3; k++) {
                        m[i][j] += p[i][k] * q[k][j];
                    }
                }
            }
            return m;
        }
    }

    private static double sq(double v) {
        return v * v;
    }
}
