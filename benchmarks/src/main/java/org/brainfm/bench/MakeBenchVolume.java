package org.brainfm.bench;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.brainfm.volume.NiftiDatatype;
import org.brainfm.volume.NiftiWriter;
import org.brainfm.volume.Volume;

/**
 * Writes the benchmark's float32 volume: an n^3 head-like ellipsoid of smooth intensity with
 * Gaussian noise (so it compresses like a real scan, not like zeros), gzipped by NiftiWriter.
 * Usage: {@code MakeBenchVolume FILE [N]} (N defaults to 256). Deterministic.
 */
public final class MakeBenchVolume {
    private MakeBenchVolume() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: MakeBenchVolume FILE.nii.gz [N]");
            System.exit(2);
        }
        int n = args.length == 2 ? Integer.parseInt(args[1]) : 256;
        float[] data = new float[n * n * n];
        SplittableRandom random = new SplittableRandom(42);
        double c = (n - 1) / 2.0;
        for (int z = 0, i = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++, i++) {
                    double r = Math.sqrt(sq((x - c) / (0.40 * n)) + sq((y - c) / (0.45 * n)) + sq((z - c) / (0.42 * n)));
                    double tissue = r < 1 ? 600 + 300 * Math.cos(6 * r) : 0;
                    data[i] = (float) (tissue + 20 * nextGaussian(random));
                }
            }
        }
        Volume v = Volume.of(n, n, n, new double[] {1, 1, 1}, data);
        NiftiWriter.write(v, Path.of(args[0]), NiftiDatatype.FLOAT32);
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double nextGaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
