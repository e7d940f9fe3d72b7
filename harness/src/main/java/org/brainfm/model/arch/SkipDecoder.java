package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.layer.Chain;
import org.brainfm.model.layer.Conv;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.layer.TransposedConv;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * A U-Net decoder: per stage, 2x upsampling (transposed conv k2 s2), optionally the encoder's
 * feature map of that resolution concatenated (skip), one conv block; a 1^3 conv to the
 * output channels at the end. Without skips it decodes from one bottleneck map alone (the
 * compact U-Net's pretraining decoder, fed by the latent codes).
 */
public final class SkipDecoder extends Decoder {
    private final boolean skips;
    private final List<TransposedConv> ups = new ArrayList<>();
    private final List<Chain> blocks = new ArrayList<>();
    private final Conv output;

    /**
     * @param bottleneck channels of the map decoding starts from
     * @param widths the encoder's widths, shallowest first; the decoder mirrors all but the last
     */
    public SkipDecoder(int bottleneck, int[] widths, int out, boolean skips) {
        this.skips = skips;
        int below = bottleneck;
        for (int s = widths.length - 2; s >= 0; s--) {
            ups.add(addChildBlock("up" + s, new TransposedConv(below, widths[s], 2)));
            blocks.add(addChildBlock("block" + s, Chain.convBlock(skips ? 2 * widths[s] : widths[s], widths[s], 1)));
            below = widths[s];
        }
        output = addChildBlock("output", Conv.pointwise(widths[0], out));
    }

    @Override
    public NDArray decode(Pass pass, NDList features) {
        int deepest = features.size() - 1;
        NDArray y = features.get(deepest);
        for (int i = 0; i < ups.size(); i++) {
            y = ups.get(i).apply(pass, y);
            if (skips) {
                y = y.concat(features.get(deepest - 1 - i), 1);
            }
            y = blocks.get(i).apply(pass, y);
        }
        return output.apply(pass, y);
    }

    @Override
    public Shape trace(Shape[] features, Cost cost) {
        int deepest = features.length - 1;
        Shape y = features[deepest];
        for (int i = 0; i < ups.size(); i++) {
            y = ups.get(i).trace(y, cost);
            if (skips) {
                y = new Shape(y.get(0), y.get(1) * 2, y.get(2), y.get(3), y.get(4));
            }
            y = blocks.get(i).trace(y, cost);
        }
        return output.trace(y, cost);
    }

    @Override
    public String export(OnnxGraph g, List<String> features) {
        int deepest = features.size() - 1;
        String y = features.get(deepest);
        for (int i = 0; i < ups.size(); i++) {
            y = ups.get(i).export(g, y);
            if (skips) {
                Shape s = g.shape(y);
                y = g.node("Concat", List.of(y, features.get(deepest - 1 - i)), OnnxGraph.attr("axis", 1L));
                g.shape(y, new Shape(s.get(0), s.get(1) * 2, s.get(2), s.get(3), s.get(4)));
            }
            y = blocks.get(i).export(g, y);
        }
        return output.export(g, y);
    }
}
