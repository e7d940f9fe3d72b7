package org.brainfm.finetune;

import java.util.random.RandomGenerator;
import org.brainfm.volume.PatchSampler.Patch;
import org.brainfm.volume.PatchSampler;
import org.brainfm.volume.Volume;

/**
 * Training patches of one prepared case, placed as nnU-Net places them: a patch never reaches
 * further past the volume than it must. Along an axis shorter than the patch the whole volume
 * lies inside the patch at a random offset; along a longer axis the patch lies inside the
 * volume. A share of the patches (segmentation) is centred on a random foreground voxel first
 * and then moved inside those bounds.
 *
 * <p>Why not uniform centres: a brain cropped to its head is about as large as a mini patch, so
 * a centre drawn anywhere in the volume leaves up to half of each patch empty and cuts the
 * lesion or the anatomy a label describes out of it; the test-time window (centred) never does.
 */
final class TrainingPatches {
    private final PatchSampler sampler;
    private final int[] extents;
    private final int[] size;
    private final double foregroundShare;
    /** Flat indices of the label's foreground voxels (empty without a label). */
    private final int[] foreground;

    TrainingPatches(Volume image, Volume label, int[] size, double foregroundShare) {
        this.sampler = new PatchSampler(image, label, size, 0, 0f);
        this.extents = new int[] {image.nx(), image.ny(), image.nz()};
        this.size = size.clone();
        this.foregroundShare = foregroundShare;
        this.foreground = label == null ? new int[0] : foregroundVoxels(label.data());
    }

    Patch sample(RandomGenerator random) {
        boolean onForeground = foreground.length > 0 && random.nextDouble() < foregroundShare;
        int voxel = onForeground ? foreground[random.nextInt(foreground.length)] : -1;
        int[] at = {voxel % extents[0], (voxel / extents[0]) % extents[1], voxel / (extents[0] * extents[1])};
        int[] centre = new int[3];
        for (int a = 0; a < 3; a++) {
            int low = Math.min(0, extents[a] - size[a]);
            int high = Math.max(0, extents[a] - size[a]);
            int start = onForeground ? Math.max(low, Math.min(high, at[a] - size[a] / 2)) : low + random.nextInt(high - low + 1);
            centre[a] = start + size[a] / 2;
        }
        return sampler.at(centre);
    }

    private static int[] foregroundVoxels(float[] labels) {
        int count = 0;
        for (float l : labels) {
            count += l > 0 ? 1 : 0;
        }
        int[] voxels = new int[count];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 0) {
                voxels[k++] = i;
            }
        }
        return voxels;
    }
}
