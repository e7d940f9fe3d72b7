package org.brainfm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.brainfm.metrics.DistanceGrid;
import org.brainfm.metrics.SegmentationMetrics;
import org.brainfm.metrics.SegmentationScores;

/**
 * Two overlapping sphere-ish masks on an n^3 grid of 1 mm voxels, the pair the scoring speed
 * benchmark uses: bumpy balls of radius about n * 0.31, a few voxels apart.
 */
public final class SphereMasks {
    private SphereMasks() {}

    public static DistanceGrid grid(int n) {
        return DistanceGrid.of(n, n, n, 1, 1, 1);
    }

    /** The reference: radius 0.31 n around the centre, bumps of 0.025 n. */
    public static boolean[] reference(int n) {
        return bumpyBall(n, 0.5, 0.5, 0.5, 0.31, 0.025, 3, 2);
    }

    /** The prediction: radius 0.30 n, moved a few voxels, other bumps. */
    public static boolean[] prediction(int n) {
        return bumpyBall(n, 0.51, 0.49, 0.505, 0.30, 0.03, 2, 4);
    }

    private static boolean[] bumpyBall(int n, double cx, double cy, double cz, double radius, double bump, int kz, int kxy) {
        boolean[] m = new boolean[n * n * n];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double dx = x - cx * n;
                    double dy = y - cy * n;
                    double dz = z - cz * n;
                    double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
                    double polar = Math.acos(r == 0 ? 1 : dz / r);
                    double azimuth = Math.atan2(dy, dx);
                    double edge = n * (radius + bump * Math.sin(kz * polar) * Math.cos(kxy * azimuth));
                    m[x + n * (y + n * z)] = r <= edge;
                }
            }
        }
        return m;
    }

    /**
     * Writes pred.raw and ref.raw (uint8, x fastest) and brainfm.json (brainfm's scores of the
     * pair at {@code toleranceMm}) into DIR, for the scipy reference to read.
     * Usage: SphereMasks DIR N TOLERANCE_MM
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        double tolerance = Double.parseDouble(args[2]);
        boolean[] pred = prediction(n);
        boolean[] ref = reference(n);
        Files.write(dir.resolve("pred.raw"), bytes(pred));
        Files.write(dir.resolve("ref.raw"), bytes(ref));
        SegmentationScores s = SegmentationMetrics.score(pred, ref, grid(n), tolerance);
        Files.writeString(dir.resolve("brainfm.json"), String.format(Locale.ROOT,
                "{\"dice\": %.17g, \"nsd\": %.17g, \"hd95\": %.17g}%n", s.dice().value(), s.nsd().value(), s.hd95().value()));
    }

    private static byte[] bytes(boolean[] mask) {
        byte[] b = new byte[mask.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (mask[i] ? 1 : 0);
        }
        return b;
    }
}
