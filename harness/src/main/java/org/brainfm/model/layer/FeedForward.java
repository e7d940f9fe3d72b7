package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * The transformer MLP: ViT's Linear-GELU-Linear, or EVA's SwiGLU (SiLU(gate) x value, then a
 * LayerNorm on the hidden features, then the output projection).
 */
public final class FeedForward extends Layer {
    private final Dense first;
    private final Dense gate;
    private final TokenNorm hiddenNorm;
    private final Dense second;

    public FeedForward(int dim, int hidden, boolean swiGlu, float eps) {
        first = addChildBlock("fc1", new Dense(dim, hidden, true));
        gate = swiGlu ? addChildBlock("gate", new Dense(dim, hidden, true)) : null;
        hiddenNorm = swiGlu ? addChildBlock("hidden_norm", new TokenNorm(hidden, eps)) : null;
        second = addChildBlock("fc2", new Dense(hidden, dim, true));
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        Shape hidden = first.trace(input, cost);
        if (gate != null) {
            gate.trace(input, cost);
            hiddenNorm.trace(hidden, cost);
        }
        return second.trace(hidden, cost);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray h = first.apply(pass, x);
        if (gate == null) {
            h = Nonlinearity.gelu(h);
        } else {
            NDArray g = gate.apply(pass, x);
            h = hiddenNorm.apply(pass, g.mul(ai.djl.nn.Activation.sigmoid(g)).mul(h));
        }
        return second.apply(pass, h);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String h = first.export(g, x);
        Shape hidden = g.shape(h);
        if (gate == null) {
            h = g.gelu(h);
        } else {
            String gt = gate.export(g, x);
            h = g.binary("Mul", g.binary("Mul", gt, g.node("Sigmoid", gt)), h);
            g.shape(h, hidden);
            h = hiddenNorm.export(g, h);
        }
        g.shape(h, hidden);
        return second.export(g, h);
    }
}
