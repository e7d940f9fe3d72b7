package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * A pre-norm transformer block, x + attn(norm(x)) then x + mlp(norm(x)). The EVA variant
 * (Primus) adds rotary embeddings, SwiGLU and LayerScale (learned per-channel residual
 * scales starting at 0.1).
 */
public final class TransformerBlock extends Layer {
    static final float LAYER_SCALE_INIT = 0.1f;
    private final int dim;
    private final TokenNorm norm1;
    private final Attention attention;
    private final TokenNorm norm2;
    private final FeedForward mlp;
    private final Parameter scale1;
    private final Parameter scale2;

    public TransformerBlock(int dim, int heads, int hidden, boolean eva) {
        this.dim = dim;
        float eps = eva ? 1e-5f : 1e-6f;
        norm1 = addChildBlock("norm1", new TokenNorm(dim, eps));
        attention = addChildBlock("attention", new Attention(dim, heads, eva, eps));
        norm2 = addChildBlock("norm2", new TokenNorm(dim, eps));
        mlp = addChildBlock("mlp", new FeedForward(dim, hidden, eva, eps));
        ConstantInitializer init = new ConstantInitializer(LAYER_SCALE_INIT);
        scale1 = eva ? parameter("layer_scale1", Parameter.Type.OTHER, init, dim) : null;
        scale2 = eva ? parameter("layer_scale2", Parameter.Type.OTHER, init, dim) : null;
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        norm1.trace(input, cost);
        attention.trace(input, cost);
        norm2.trace(input, cost);
        mlp.trace(input, cost);
        cost.add(scale1 == null ? 0 : 2L * dim, 0);
        return input;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray a = attention.apply(pass, norm1.apply(pass, x));
        NDArray y = x.add(scale1 == null ? a : a.mul(pass.value(scale1, x)));
        NDArray m = mlp.apply(pass, norm2.apply(pass, y));
        return y.add(scale2 == null ? m : m.mul(pass.value(scale2, x)));
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String a = attention.export(g, norm1.export(g, x));
        String y = g.binary("Add", x, scale1 == null ? a : g.binary("Mul", a, g.constant(scale1.getArray())));
        g.shape(y, g.shape(x));
        String m = mlp.export(g, norm2.export(g, y));
        return g.binary("Add", y, scale2 == null ? m : g.binary("Mul", m, g.constant(scale2.getArray())));
    }
}
