package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.layer.Conv;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.layer.PositionEmbedding;
import org.brainfm.model.layer.Rope;
import org.brainfm.model.layer.TokenNorm;
import org.brainfm.model.layer.TransformerBlock;
import org.brainfm.model.onnx.OnnxGraph;
import org.brainfm.tensor.Tensors;

/**
 * A 3D vision transformer: patch embedding (Conv3d, kernel = stride = patch), learned position
 * embeddings (resampled for other input sizes), pre-norm blocks, a final LayerNorm. Its one
 * feature map is the token grid (B, D, gx, gy, gz). The EVA variant is Primus's encoder.
 */
public final class VitEncoder extends Encoder {
    private final int in;
    private final int dim;
    private final int heads;
    private final int patch;
    private final boolean eva;
    private final Conv embed;
    private final PositionEmbedding position;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final TokenNorm norm;

    /**
     * @param grid the token grid of the pretraining patch, where position embeddings live
     * @param hidden the MLP's hidden width (ViT 4 D; EVA's SwiGLU 8/3 D)
     */
    public VitEncoder(int in, int dim, int depth, int heads, int hidden, int patch, long[] grid, boolean eva) {
        this.in = in;
        this.dim = dim;
        this.heads = heads;
        this.patch = patch;
        this.eva = eva;
        embed = addChildBlock("patch_embed", new Conv(in, dim, patch, patch, 0, true));
        position = addChildBlock("position", new PositionEmbedding(dim, grid));
        for (int i = 0; i < depth; i++) {
            blocks.add(addChildBlock("block" + i, new TransformerBlock(dim, heads, hidden, eva)));
        }
        norm = addChildBlock("norm", new TokenNorm(dim, eva ? 1e-5f : 1e-6f));
    }

    @Override
    public int inChannels() {
        return in;
    }

    @Override
    public int[] channels() {
        return new int[] {dim};
    }

    @Override
    public int reduction() {
        return patch;
    }

    @Override
    public NDList features(Pass pass, NDArray x) {
        NDArray grid = position.apply(pass, embed.apply(pass, x));
        Shape g = grid.getShape();
        NDArray tokens = grid.reshape(g.get(0), dim, -1).transpose(0, 2, 1);
        Pass inner = pass;
        if (eva) {
            float[][] rope = Rope.tables(new long[] {g.get(2), g.get(3), g.get(4)}, dim / heads);
            Shape table = new Shape(tokens.getShape().get(1), dim / heads);
            inner = pass.withRope(Tensors.copyOf(x.getManager(), rope[0], table), Tensors.copyOf(x.getManager(), rope[1], table));
        }
        for (TransformerBlock block : blocks) {
            tokens = block.apply(inner, tokens);
        }
        return new NDList(norm.apply(pass, tokens).transpose(0, 2, 1).reshape(g));
    }

    @Override
    public Shape[] trace(Shape input, Cost cost) {
        Shape grid = position.trace(embed.trace(input, cost), cost);
        Shape tokens = new Shape(grid.get(0), grid.get(2) * grid.get(3) * grid.get(4), dim);
        for (TransformerBlock block : blocks) {
            block.trace(tokens, cost);
        }
        norm.trace(tokens, cost);
        return new Shape[] {grid};
    }

    @Override
    public List<String> export(OnnxGraph g, String x) {
        String grid = position.export(g, embed.export(g, x));
        Shape gs = g.shape(grid);
        long n = gs.get(2) * gs.get(3) * gs.get(4);
        String tokens = g.transpose(g.reshape(grid, 0, dim, n), 0, 2, 1);
        g.shape(tokens, new Shape(gs.get(0), n, dim));
        if (eva) {
            float[][] rope = Rope.tables(new long[] {gs.get(2), gs.get(3), gs.get(4)}, dim / heads);
            g.rope(g.constant(rope[0], n, dim / heads), g.constant(rope[1], n, dim / heads));
        }
        for (TransformerBlock block : blocks) {
            tokens = block.export(g, tokens);
        }
        String out = g.reshape(g.transpose(norm.export(g, tokens), 0, 2, 1), 0, dim, gs.get(2), gs.get(3), gs.get(4));
        g.shape(out, gs);
        return List.of(out);
    }
}
