package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.brainfm.model.onnx.OnnxGraph;
import org.brainfm.tensor.Tensors;

/**
 * Multi-head self-attention on tokens (B, N, D). The EVA variant has no key bias, applies the
 * pass's rotary tables to queries and keys, and normalises the heads' output before the
 * projection ("scale_attn_inner").
 */
public final class Attention extends Layer {
    private final int dim;
    private final int heads;
    private final boolean eva;
    private final Dense query;
    private final Dense key;
    private final Dense value;
    private final TokenNorm inner;
    private final Dense projection;

    public Attention(int dim, int heads, boolean eva, float eps) {
        this.dim = dim;
        this.heads = heads;
        this.eva = eva;
        query = addChildBlock("query", new Dense(dim, dim, true));
        key = addChildBlock("key", new Dense(dim, dim, !eva));
        value = addChildBlock("value", new Dense(dim, dim, true));
        inner = eva ? addChildBlock("inner_norm", new TokenNorm(dim, eps)) : null;
        projection = addChildBlock("projection", new Dense(dim, dim, true));
    }

    private int headDim() {
        return dim / heads;
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        query.trace(input, cost);
        key.trace(input, cost);
        value.trace(input, cost);
        if (inner != null) {
            inner.trace(input, cost);
        }
        long n = input.get(1);
        cost.add(0, 4L * n * n * dim * input.get(0));
        return projection.trace(input, cost);
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray q = split(query.apply(pass, x), b, n);
        NDArray k = split(key.apply(pass, x), b, n);
        NDArray v = split(value.apply(pass, x), b, n);
        if (eva) {
            NDArray r = Tensors.copyOf(x.getManager(), Rope.rotation(headDim()), new Shape(headDim(), headDim()));
            q = q.mul(pass.ropeCos()).add(q.matMul(r).mul(pass.ropeSin()));
            k = k.mul(pass.ropeCos()).add(k.matMul(r).mul(pass.ropeSin()));
        }
        NDArray weights = Tensors.scale(q.matMul(k.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(headDim())).softmax(-1);
        NDArray merged = weights.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, dim);
        return projection.apply(pass, inner == null ? merged : inner.apply(pass, merged));
    }

    private NDArray split(NDArray t, long b, long n) {
        return t.reshape(b, n, heads, headDim()).transpose(0, 2, 1, 3);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String q = split(g, query.export(g, x));
        String k = split(g, key.export(g, x));
        String v = split(g, value.export(g, x));
        if (eva) {
            String r = g.constant(Rope.rotation(headDim()), headDim(), headDim());
            q = rotate(g, q, r);
            k = rotate(g, k, r);
        }
        String scores = g.binary("Mul", g.binary("MatMul", q, g.transpose(k, 0, 1, 3, 2)),
                g.constant(new float[] {(float) (1.0 / Math.sqrt(headDim()))}));
        String weights = g.node("Softmax", scores, OnnxGraph.attr("axis", -1L));
        String merged = g.reshape(g.transpose(g.binary("MatMul", weights, v), 0, 2, 1, 3), 0, 0, dim);
        g.shape(merged, g.shape(x));
        return projection.export(g, inner == null ? merged : inner.export(g, merged));
    }

    private String split(OnnxGraph g, String t) {
        return g.transpose(g.reshape(t, 0, 0, heads, headDim()), 0, 2, 1, 3);
    }

    private static String rotate(OnnxGraph g, String t, String r) {
        return g.binary("Add", g.binary("Mul", t, g.ropeCos()), g.binary("Mul", g.binary("MatMul", t, r), g.ropeSin()));
    }
}
