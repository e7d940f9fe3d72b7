package org.brainfm.plan;

import org.brainfm.volume.Grid;
import org.brainfm.volume.Interpolation;
import org.brainfm.volume.Volume;
import org.brainfm.volume.VolumeOp;

/**
 * One case ready for a model: its contrasts as the frames of one volume on the model's grid
 * (RAS, cropped to the brain, z-scored, optionally resampled), the segmentation label on the
 * same grid when there is one, and the way back to the input's grid.
 *
 * @param image    frames = contrasts in the task's order
 * @param label    the label map on the image's grid, or null
 * @param original the grid (extents and affine) of the input images as read
 */
public record Prepared(Volume image, Volume label, VolumeOp.Undo undo, Grid original) {

    /**
     * A prediction on the prepared grid put back on the input's grid and affine; voxels the
     * crop left out get {@code fill}.
     */
    public Volume restore(Volume onPreparedGrid, Interpolation interpolation, float fill) {
        return undo.restore(onPreparedGrid, interpolation, fill);
    }
}
