package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Layer;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * Encoder plus head. With {@code shared} contrasts the input's channels are contrasts, each
 * passed alone through the one-channel encoder; for a mask their feature maps are averaged (the
 * FOMO25 winner's way of combining scans, which keeps the decoder's skips one scan wide), for an
 * image-level head ({@code concatenated}) they are put side by side as channels: an average of T1
 * and T2 cancels what is dark in one and bright in the other, such as the CSF that tells brain age
 * (docs/protocol.md). Otherwise the contrasts are stacked as encoder channels.
 */
public final class Network extends Layer implements BrainModel {
    private final Encoder encoder;
    private final Decoder head;
    private final int contrasts;
    private final boolean shared;
    /** Shared scans' feature maps concatenated as channels (an image-level head) rather than averaged. */
    private final boolean concatenated;

    public Network(Encoder encoder, Decoder head, int contrasts, boolean shared, boolean concatenated) {
        if (!shared && encoder.inChannels() != contrasts) {
            throw new IllegalArgumentException("stacked contrasts need an encoder with " + contrasts + " input channels");
        }
        if (shared && encoder.inChannels() != 1) {
            throw new IllegalArgumentException("shared contrasts need a one-channel encoder");
        }
        this.encoder = addChildBlock("encoder", encoder);
        this.head = addChildBlock("head", head);
        this.contrasts = contrasts;
        this.shared = shared;
        this.concatenated = shared && concatenated;
    }

    public Encoder encoder() {
        return encoder;
    }

    public Decoder head() {
        return head;
    }

    @Override
    public int inChannels() {
        return contrasts;
    }

    @Override
    public List<String> outputNames() {
        return List.of("output");
    }

    /** The encoder's feature maps for input x; shared contrasts' maps averaged, or concatenated for an image-level head. */
    public NDList features(Pass pass, NDArray x) {
        if (!shared) {
            return encoder.features(pass, x);
        }
        Shape s = x.getShape();
        NDList perScan = encoder.features(pass, x.reshape(s.get(0) * contrasts, 1, s.get(2), s.get(3), s.get(4)));
        NDList fused = new NDList();
        for (NDArray f : perScan) {
            Shape fs = f.getShape();
            fused.add(concatenated
                    ? f.reshape(s.get(0), contrasts * fs.get(1), fs.get(2), fs.get(3), fs.get(4))
                    : f.reshape(s.get(0), contrasts, fs.get(1), fs.get(2), fs.get(3), fs.get(4)).mean(new int[] {1}));
        }
        return fused;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        return head.decode(pass, features(pass, x));
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        Shape perEncoder = shared ? new Shape(input.get(0) * contrasts, 1, input.get(2), input.get(3), input.get(4)) : input;
        Shape[] features = encoder.trace(perEncoder, cost);
        if (shared) {
            for (int i = 0; i < features.length; i++) {
                Shape f = features[i];
                features[i] = new Shape(input.get(0), f.get(1) * (concatenated ? contrasts : 1), f.get(2), f.get(3), f.get(4));
            }
        }
        return head.trace(features, cost);
    }

    @Override
    public Cost cost(Shape input) {
        Cost cost = new Cost();
        trace(input, cost);
        return cost;
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        Shape s = g.shape(x);
        if (!shared) {
            return head.export(g, encoder.export(g, x));
        }
        String scans = g.reshape(x, -1, 1, s.get(2), s.get(3), s.get(4));
        g.shape(scans, new Shape(s.get(0) * contrasts, 1, s.get(2), s.get(3), s.get(4)));
        List<String> fused = new ArrayList<>();
        for (String f : encoder.export(g, scans)) {
            Shape fs = g.shape(f);
            if (concatenated) {
                String stacked = g.reshape(f, -1, contrasts * fs.get(1), fs.get(2), fs.get(3), fs.get(4));
                g.shape(stacked, new Shape(s.get(0), contrasts * fs.get(1), fs.get(2), fs.get(3), fs.get(4)));
                fused.add(stacked);
                continue;
            }
            String grouped = g.reshape(f, -1, contrasts, fs.get(1), fs.get(2), fs.get(3), fs.get(4));
            String mean = g.node("ReduceMean", grouped, OnnxGraph.attr("axes", new long[] {1}), OnnxGraph.attr("keepdims", 0L));
            g.shape(mean, new Shape(s.get(0), fs.get(1), fs.get(2), fs.get(3), fs.get(4)));
            fused.add(mean);
        }
        return head.export(g, fused);
    }

    @Override
    public List<String> exportOnnx(OnnxGraph g, String x) {
        return List.of(export(g, x));
    }
}
