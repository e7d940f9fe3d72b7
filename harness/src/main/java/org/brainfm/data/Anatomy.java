package org.brainfm.data;

import java.util.SplittableRandom;

/**
 * One phantom subject: age, head shape, pose, cortical folding, atrophy and pathology, all drawn
 * from (seed, subject index) alone, so a subject never depends on how many others are made.
 * Lengths are in mm in the subject's own frame: x towards the right, y anterior, z superior.
 */
public final class Anatomy {
    static final double MIN_AGE = 20;
    static final double MAX_AGE = 90;
    /** Golden-ratio and silver-ratio steps: low-discrepancy sequences for the pathology shares. */
    private static final double MENINGIOMA_STEP = 0.6180339887498949;
    private static final double INFARCT_STEP = 0.41421356237309503;

    final int index;
    final long stream;
    final double age;
    /** Semi-axes of the intracranial cavity (inner table of the skull). */
    final double[] icv = new double[3];
    /** Low-frequency bumps of the head outline: per wave gx, gy, gz, phase, amplitude. */
    final double[][] shapeWaves = new double[3][5];
    /** Brain semi-axes as a fraction of the intracranial ones: shrinks with age. */
    final double brainFraction;
    final double cortexMm;
    final double sulcusMm;
    /** Folding waves (kx, ky, kz, phase): the zero set of their sum is where sulci run. */
    final double[][] folds = new double[6][4];
    final double foldWaveNumber;
    /** Linear scale of the ventricles: grows with age. */
    final double ventricleScale;
    /** Linear scale of the deep grey nuclei: shrinks with age. */
    final double nucleiScale;
    /** Yaw, pitch, roll in radians; translation in mm. */
    final double[] pose = new double[6];
    /** Per contrast and tissue: a factor near 1 on the intensity table. */
    final double[][] intensityJitter = new double[PhantomContrast.values().length][Tissue.values().length];
    final boolean meningioma;
    /** Unit direction from the head centre to the meningioma's dural base. */
    final double[] meningiomaDirection = new double[3];
    final double meningiomaRadius;
    final double[][] meningiomaLobes = new double[2][4];
    final boolean infarct;
    /** Per infarct: centre as a fraction of the brain's semi-axes (x, y, z), radius in mm. */
    final double[][] infarcts;
    final double[][] infarctLobes = new double[2][4];

    private Anatomy(long seed, int index, double meningiomaShare, double infarctShare) {
        this.index = index;
        this.stream = mix(seed, index);
        SplittableRandom r = new SplittableRandom(stream);
        age = MIN_AGE + (MAX_AGE - MIN_AGE) * r.nextDouble();
        double years = age - MIN_AGE;
        double scale = 0.93 + 0.14 * r.nextDouble();
        double[] typical = {64, 80, 60};
        for (int a = 0; a < 3; a++) {
            icv[a] = typical[a] * scale * (0.97 + 0.06 * r.nextDouble());
        }
        for (double[] w : shapeWaves) {
            double[] d = unit(r);
            double f = 1.5 + 1.5 * r.nextDouble();
            w[0] = d[0] * f;
            w[1] = d[1] * f;
            w[2] = d[2] * f;
            w[3] = 2 * Math.PI * r.nextDouble();
            w[4] = 0.012 + 0.018 * r.nextDouble();
        }
        brainFraction = 0.975 - 0.0011 * years + 0.006 * clip(r.nextGaussian());
        cortexMm = 5.2 - 0.020 * years + 0.25 * clip(r.nextGaussian());
        sulcusMm = Math.max(0.6, 1.4 + 0.040 * years + 0.25 * clip(r.nextGaussian()));
        double wavelength = 30 + 6 * r.nextDouble();
        foldWaveNumber = 2 * Math.PI / wavelength;
        for (double[] f : folds) {
            double[] d = unit(r);
            f[0] = d[0] * foldWaveNumber;
            f[1] = d[1] * foldWaveNumber;
            f[2] = d[2] * foldWaveNumber;
            f[3] = 2 * Math.PI * r.nextDouble();
        }
        ventricleScale = (1 + 0.011 * years) * Math.exp(0.03 * clip(r.nextGaussian()));
        nucleiScale = 1 - 0.0015 * years;
        for (int a = 0; a < 3; a++) {
            pose[a] = Math.toRadians(7 * (2 * r.nextDouble() - 1));
            pose[3 + a] = 5 * (2 * r.nextDouble() - 1);
        }
        for (double[] row : intensityJitter) {
            for (int t = 0; t < row.length; t++) {
                row[t] = 1 + 0.03 * (2 * r.nextDouble() - 1);
            }
        }
        // Pathology is drawn for every subject, present or not, so the shares never move anatomy.
        double[] d = unit(r);
        d[2] = 0.1 + 0.6 * Math.abs(d[2]);
        double n = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        for (int a = 0; a < 3; a++) {
            meningiomaDirection[a] = d[a] / n;
        }
        meningiomaRadius = 12 + 10 * r.nextDouble();
        lobes(r, meningiomaLobes, 3);
        int count = 1 + r.nextInt(2);
        infarcts = new double[count][4];
        for (double[] lesion : infarcts) {
            double[] u = unit(r);
            double depth = 0.3 + 0.45 * r.nextDouble();
            for (int a = 0; a < 3; a++) {
                lesion[a] = u[a] * depth;
            }
            lesion[3] = 5 + 4 * r.nextDouble();
        }
        lobes(r, infarctLobes, 4);
        meningioma = weyl(mix(seed, -1), index, MENINGIOMA_STEP) < meningiomaShare;
        infarct = weyl(mix(seed, -2), index, INFARCT_STEP) < infarctShare;
    }

    /** Subject {@code index} (0-based) of the phantom made from {@code settings}. */
    public static Anatomy of(PhantomSettings settings, int index) {
        return new Anatomy(settings.seed(), index, settings.meningiomaShare(), settings.infarctShare());
    }

    public int index() {
        return index;
    }

    /** Age in years, 20 to 90. */
    public double age() {
        return age;
    }

    public boolean hasMeningioma() {
        return meningioma;
    }

    public boolean hasInfarct() {
        return infarct;
    }

    /** The random stream of one session: differs in pose, bias field, gain and noise. */
    SplittableRandom sessionRandom(int session) {
        return new SplittableRandom(mix(stream, session));
    }

    private static void lobes(SplittableRandom r, double[][] lobes, double frequency) {
        for (double[] l : lobes) {
            double[] d = unit(r);
            l[0] = d[0] * frequency;
            l[1] = d[1] * frequency;
            l[2] = d[2] * frequency;
            l[3] = 2 * Math.PI * r.nextDouble();
        }
    }

    /** Element i of the sequence start + i * step (mod 1): any run of subjects meets a share closely. */
    private static double weyl(long start, int i, double step) {
        double v = (start >>> 11) * 0x1.0p-53 + i * step;
        return v - Math.floor(v);
    }

    private static double clip(double gaussian) {
        return Math.max(-2.5, Math.min(2.5, gaussian));
    }

    private static double[] unit(SplittableRandom r) {
        while (true) {
            double x = 2 * r.nextDouble() - 1;
            double y = 2 * r.nextDouble() - 1;
            double z = 2 * r.nextDouble() - 1;
            double n = x * x + y * y + z * z;
            if (n > 1e-6 && n <= 1) {
                n = Math.sqrt(n);
                return new double[] {x / n, y / n, z / n};
            }
        }
    }

    /** A well-mixed seed for stream {@code b} of seed {@code a} (SplitMix64's finaliser). */
    static long mix(long a, long b) {
        return fmix(a * 0x9E3779B97F4A7C15L + fmix(b + 0x632BE59BD9B4E019L));
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
