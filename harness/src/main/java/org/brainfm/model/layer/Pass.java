package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * One forward pass: where parameter values come from, whether it trains, and the rotary
 * position tables (cos, sin) of the current token grid when a transformer needs them.
 */
public record Pass(ParameterStore store, boolean training, NDArray ropeCos, NDArray ropeSin) {
    public Pass(ParameterStore store, boolean training) {
        this(store, training, null, null);
    }

    public Pass withRope(NDArray cos, NDArray sin) {
        return new Pass(store, training, cos, sin);
    }

    NDArray value(Parameter parameter, NDArray like) {
        return store.getValue(parameter, like.getDevice(), training);
    }
}
