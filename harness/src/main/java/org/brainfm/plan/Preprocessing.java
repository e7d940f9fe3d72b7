package org.brainfm.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.brainfm.BrainfmException;
import org.brainfm.data.Case;
import org.brainfm.volume.BoundingBox;
import org.brainfm.volume.Channels;
import org.brainfm.volume.Crop;
import org.brainfm.volume.Grid;
import org.brainfm.volume.Interpolation;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Reorient;
import org.brainfm.volume.Resample;
import org.brainfm.volume.Volume;
import org.brainfm.volume.VolumeOp;
import org.brainfm.volume.ZScore;

/**
 * How a case's images become a model's input, the same for finetuning and inference:
 * reorient to RAS, crop to the box of voxels nonzero in any contrast (plus a margin), z-score
 * each contrast over its nonzero voxels, and resample to a target spacing when one is set.
 * A segmentation label takes the same geometric steps (nearest-neighbour).
 *
 * @param margin  voxels kept around the nonzero box
 * @param spacing target voxel size in mm (x, y, z), or null to keep the input's
 */
public record Preprocessing(int margin, double[] spacing) {
    public Preprocessing {
        if (margin < 0) {
            throw new IllegalArgumentException("margin must be >= 0, got " + margin);
        }
        if (spacing != null && (spacing.length != 3 || Arrays.stream(spacing).anyMatch(s -> !(s > 0)))) {
            throw new IllegalArgumentException("spacing must be 3 positive mm values, got " + Arrays.toString(spacing));
        }
        spacing = spacing == null ? null : spacing.clone();
    }

    /** Reads a case's contrasts (and its label when {@code withLabel}) and prepares them. */
    public Prepared load(Case c, boolean withLabel) {
        List<Volume> channels = new ArrayList<>();
        Path first = null;
        for (Map.Entry<String, Path> e : c.inputs().entrySet()) {
            Volume v = NiftiReader.read(e.getValue());
            if (v.nt() != 1) {
                throw new BrainfmException(e.getValue().toString(), "is 4D (" + v.nt() + " frames); a contrast must be one 3D image");
            }
            if (first != null && !sameGrid(v, channels.get(0))) {
                throw new BrainfmException(e.getValue().toString(), "is not on the grid of " + first
                        + " (" + Grid.of(v) + " vs " + Grid.of(channels.get(0)) + "); contrasts must be co-registered");
            }
            if (first == null) {
                first = e.getValue();
            }
            channels.add(v);
        }
        Volume image = Channels.stack(channels.toArray(Volume[]::new));
        Volume label = null;
        if (withLabel) {
            label = NiftiReader.read(c.label());
            if (!sameGrid(label, channels.get(0))) {
                throw new BrainfmException(c.label().toString(), "is not on the grid of " + first + " (" + Grid.of(label)
                        + " vs " + Grid.of(channels.get(0)) + ")");
            }
        }
        return prepare(image, label);
    }

    /** Prepares an image (frames = contrasts) and its label map on the same grid (or null). */
    public Prepared prepare(Volume image, Volume label) {
        Grid original = Grid.of(image);
        Volume ras = Reorient.toRas().apply(image);
        BoundingBox box = BoundingBox.nonzero(ras, margin);
        VolumeOp geometry = Reorient.toRas().then(Crop.to(box));
        VolumeOp steps = geometry.then(ZScore.nonzero());
        if (spacing != null) {
            steps = steps.then(Resample.toSpacing(Interpolation.LINEAR, spacing));
        }
        VolumeOp.Applied done = steps.run(image);
        Volume preparedLabel = null;
        if (label != null) {
            VolumeOp labelSteps = spacing == null ? geometry : geometry.then(Resample.toSpacing(Interpolation.NEAREST, spacing));
            preparedLabel = labelSteps.apply(label);
        }
        return new Prepared(done.volume(), preparedLabel, done.undo(), original);
    }

    private static boolean sameGrid(Volume a, Volume b) {
        if (a.nx() != b.nx() || a.ny() != b.ny() || a.nz() != b.nz()) {
            return false;
        }
        double[][] x = a.affine();
        double[][] y = b.affine();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                if (Math.abs(x[r][c] - y[r][c]) > org.brainfm.metrics.DistanceGrid.AFFINE_TOLERANCE) {
                    return false;
                }
            }
        }
        return true;
    }
}
