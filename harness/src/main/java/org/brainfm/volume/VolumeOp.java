package org.brainfm.volume;

/**
 * One preprocessing step on a volume (all frames alike). {@link #run} also returns how to
 * undo the step, so that a model's output on the preprocessed grid can be put back on the
 * input's grid. Steps chain with {@link #then}; the chain's undo runs the undos in reverse.
 *
 * <pre>{@code
 * VolumeOp prep = Reorient.toRas().then(Crop.toNonzero(2)).then(ZScore.nonzero())
 *         .then(Resample.toSpacing(Interpolation.LINEAR, 1.5, 1.5, 1.5));
 * Applied done = prep.run(image);
 * Volume back = done.undo().restore(prediction, Interpolation.NEAREST, 0f); // on image's grid
 * }</pre>
 */
@FunctionalInterface
public interface VolumeOp {

    /** Applies the step to {@code v}; the result's undo maps volumes on the output grid back to v's grid. */
    Applied run(Volume v);

    /** The step's output alone. */
    default Volume apply(Volume v) {
        return run(v).volume();
    }

    /** This step, then {@code next} on its output. */
    default VolumeOp then(VolumeOp next) {
        return v -> {
            Applied first = run(v);
            Applied second = next.run(first.volume());
            Undo both = (out, interpolation, fill) ->
                    first.undo().restore(second.undo().restore(out, interpolation, fill), interpolation, fill);
            return new Applied(second.volume(), both);
        };
    }

    /** The steps in order; no step leaves the volume as it is. */
    static VolumeOp chain(VolumeOp... steps) {
        VolumeOp all = v -> new Applied(v, Undo.NOTHING);
        for (VolumeOp step : steps) {
            all = all.then(step);
        }
        return all;
    }

    /** What a step made of one volume, and how to map volumes on its grid back. */
    record Applied(Volume volume, Undo undo) {}

    /** Maps a volume on a step's output grid back onto the step's input grid. */
    @FunctionalInterface
    interface Undo {
        /** For steps that change values but not the grid. */
        Undo NOTHING = (v, interpolation, fill) -> v;

        /**
         * @param onOutputGrid  a volume on the step's output grid, any number of frames (a
         *                      prediction: a label map, or one probability map per frame)
         * @param interpolation how to resample where the step resampled
         * @param fill          the value of input-grid voxels the output grid does not cover
         * @return the same number of frames on the step's input grid
         */
        Volume restore(Volume onOutputGrid, Interpolation interpolation, float fill);
    }
}
