package org.brainfm.volume;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Random training patches with foreground oversampling, as nnU-Net draws them: with
 * probability {@code foregroundProbability} a patch is centred on a foreground voxel (a
 * label class chosen uniformly among those present, then one of its voxels uniformly),
 * otherwise on a voxel drawn uniformly from the whole volume. Patches reaching past the
 * volume are padded (image: the pad value; label: 0). The same random generator state gives
 * the same patches.
 *
 * <p>Layout, ready for a tensor: {@link Patch#image} is (C, D, H, W) in row-major order with
 * C the channel (frame), D = z, H = y, W = x, i.e. each channel's block is x fastest exactly
 * as {@link Volume#data()}; {@link Patch#label} is (D, H, W) likewise. A patch of size
 * (sx, sy, sz) therefore has tensor shape [C, sz, sy, sx].
 */
public final class PatchSampler {
    private final Volume image;
    private final Volume label;
    private final int[] size;
    private final double foregroundProbability;
    private final float padValue;
    /** Per present label class (in increasing label value), the flat indices of its voxels. */
    private final int[][] classVoxels;

    /**
     * @param image                 3D, or 4D with one channel per frame (see {@link Channels#stack})
     * @param label                 a 3D label map on the image's grid (classes: values > 0), or null
     * @param size                  patch extents (x, y, z)
     * @param foregroundProbability chance that a patch is centred on foreground (nnU-Net: 0.33)
     * @param padValue              image value past the volume's edges
     */
    public PatchSampler(Volume image, Volume label, int[] size, double foregroundProbability, float padValue) {
        if (size.length != 3 || Arrays.stream(size).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("patch size must be 3 positive extents: " + Arrays.toString(size));
        }
        if (!(foregroundProbability >= 0 && foregroundProbability <= 1)) {
            throw new IllegalArgumentException("foreground probability must be in [0, 1], got " + foregroundProbability);
        }
        if (label != null && (label.shape().length != 3 || label.nx() != image.nx() || label.ny() != image.ny()
                || label.nz() != image.nz())) {
            throw new IllegalArgumentException("label " + Arrays.toString(label.shape())
                    + " is not a 3D map on the image's grid " + Arrays.toString(image.shape()));
        }
        this.image = image;
        this.label = label;
        this.size = size.clone();
        this.foregroundProbability = foregroundProbability;
        this.padValue = padValue;
        this.classVoxels = label == null ? new int[0][] : byClass(label.data());
    }

    /** One patch (image, label) and where it lies. */
    public record Patch(float[] image, float[] label, int channels, int[] size, int[] start, boolean foreground) {}

    /** Labels present (values > 0), in increasing order. */
    public int foregroundClasses() {
        return classVoxels.length;
    }

    /** A random patch; foreground-centred only when the label has foreground. */
    public Patch sample(RandomGenerator random) {
        int[] centre;
        boolean foreground = classVoxels.length > 0 && random.nextDouble() < foregroundProbability;
        if (foreground) {
            int[] voxels = classVoxels[random.nextInt(classVoxels.length)];
            int i = voxels[random.nextInt(voxels.length)];
            centre = new int[] {i % image.nx(), (i / image.nx()) % image.ny(), i / (image.nx() * image.ny())};
        } else {
            centre = new int[] {random.nextInt(image.nx()), random.nextInt(image.ny()), random.nextInt(image.nz())};
        }
        return around(centre, foreground);
    }

    /** The patch whose centre voxel (index size / 2 along each axis) is voxel {@code centre}. */
    public Patch at(int... centre) {
        return around(centre, false);
    }

    private Patch around(int[] centre, boolean foreground) {
        int[] start = {centre[0] - size[0] / 2, centre[1] - size[1] / 2, centre[2] - size[2] / 2};
        int[] shape = {image.nx(), image.ny(), image.nz()};
        int in = shape[0] * shape[1] * shape[2];
        int out = size[0] * size[1] * size[2];
        float[] channels = new float[out * image.nt()];
        for (int c = 0; c < image.nt(); c++) {
            Crop.copyWindow(image.data(), c * in, shape, start, size, padValue, channels, c * out);
        }
        float[] labels = null;
        if (label != null) {
            labels = new float[out];
            Crop.copyWindow(label.data(), 0, shape, start, size, 0f, labels, 0);
        }
        return new Patch(channels, labels, image.nt(), size.clone(), start, foreground);
    }

    private static int[][] byClass(float[] labels) {
        int count = 0;
        for (float l : labels) {
            if (l > 0) {
                count++;
            }
        }
        float[] values = new float[count];
        int k = 0;
        for (float l : labels) {
            if (l > 0) {
                values[k++] = l;
            }
        }
        Arrays.sort(values);
        int distinct = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                values[distinct++] = values[i];
            }
        }
        float[] classes = Arrays.copyOf(values, distinct);
        int[] sizes = new int[distinct];
        for (float l : labels) {
            if (l > 0) {
                sizes[Arrays.binarySearch(classes, l)]++;
            }
        }
        int[][] voxels = new int[distinct][];
        for (int c = 0; c < distinct; c++) {
            voxels[c] = new int[sizes[c]];
        }
        int[] filled = new int[distinct];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 0) {
                int c = Arrays.binarySearch(classes, labels[i]);
                voxels[c][filled[c]++] = i;
            }
        }
        return voxels;
    }
}
