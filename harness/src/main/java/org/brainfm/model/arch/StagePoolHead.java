package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.layer.Chain;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Dense;
import org.brainfm.model.layer.Nonlinearity;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * Classification or regression on a U-Net encoder: the global average and the global maximum of
 * each channel of every stage's feature map, concatenated, then Linear-LeakyReLU-Linear.
 *
 * <p>Why every stage and not the deepest map alone: a small lesion (an infarct of a few voxels'
 * radius) is a strong local response in the shallow, full-resolution maps, and their global
 * maximum is the "brightest spot" feature that separates the cases. By the deepest map it has
 * gone through four poolings and ten instance normalisations, mixed into a 4^3 map whose
 * statistics reflect the anatomy; a head that reads only that map had to learn to carry the
 * lesion down through the whole encoder from a single global label, and in the steps a CPU run
 * has it did not (docs/protocol.md). The maxima of the shallow maps give the head the lesion
 * directly; the deep maps keep the global anatomy (brain age).
 */
public final class StagePoolHead extends Decoder {
    private final int[] channels;
    private final Chain mlp;

    /** @param channels each stage's channel count, shallowest first */
    public StagePoolHead(int[] channels, int out) {
        this.channels = channels.clone();
        int hidden = channels[channels.length - 1];
        mlp = addChildBlock("mlp", new Chain(new Dense(pooled(), hidden, true), Nonlinearity.leakyRelu(), new Dense(hidden, out, true)));
    }

    @Override
    public NDArray decode(Pass pass, NDList features) {
        NDList pooled = new NDList();
        for (int s = 0; s < channels.length; s++) {
            NDArray x = features.get(s);
            NDArray flat = x.reshape(x.getShape().get(0), channels[s], -1);
            pooled.add(flat.mean(new int[] {2}));
            pooled.add(flat.max(new int[] {2}));
        }
        return mlp.apply(pass, NDArrays.concat(pooled, 1));
    }

    @Override
    public Shape trace(Shape[] features, Cost cost) {
        return mlp.trace(new Shape(features[0].get(0), pooled()), cost);
    }

    @Override
    public String export(OnnxGraph g, List<String> features) {
        List<String> pooled = new ArrayList<>();
        for (String f : features) {
            pooled.add(g.node("GlobalAveragePool", f));
            pooled.add(g.node("GlobalMaxPool", f));
        }
        String all = g.node("Concat", pooled, OnnxGraph.attr("axis", 1L));
        String flat = g.reshape(all, 0, pooled());
        g.shape(flat, new Shape(g.shape(features.get(0)).get(0), pooled()));
        return mlp.export(g, flat);
    }

    /** Features the MLP reads: every stage's channel averages and maxima. */
    private int pooled() {
        int n = 0;
        for (int c : channels) {
            n += 2 * c;
        }
        return n;
    }
}
