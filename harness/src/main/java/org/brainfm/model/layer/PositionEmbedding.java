package org.brainfm.model.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import org.brainfm.model.onnx.OnnxGraph;
import org.brainfm.tensor.Tensors;

/**
 * Learned absolute position embeddings on the token grid, stored as (1, D, gx, gy, gz) for the
 * grid of the pretraining patch. An input of another size gets them resampled trilinearly
 * (PyTorch's align_corners=False convention) rather than failing: the resampling is separable,
 * so it runs as one small matrix product per axis, on DJL and in ONNX alike.
 */
public final class PositionEmbedding extends Layer {
    private final int dim;
    private final long[] grid;
    private final Parameter table;

    public PositionEmbedding(int dim, long[] grid) {
        this.dim = dim;
        this.grid = grid.clone();
        this.table = parameter("position", Parameter.Type.OTHER, new NormalInitializer(0.02f), 1, dim, grid[0], grid[1], grid[2]);
    }

    @Override
    public Shape trace(Shape input, Cost cost) {
        cost.add((long) dim * grid[0] * grid[1] * grid[2], 0);
        return input;
    }

    @Override
    public NDArray apply(Pass pass, NDArray x) {
        NDArray p = pass.value(table, x);
        long[] target = target(x.getShape());
        if (!java.util.Arrays.equals(target, grid)) {
            // Resample the last axis, then rotate the axes (x, y, z) -> (z', x, y); three times.
            for (int axis = 2; axis >= 0; axis--) {
                NDArray m = Tensors.copyOf(x.getManager(), matrix(grid[axis], target[axis]), new Shape(grid[axis], target[axis]));
                p = p.matMul(m).transpose(0, 1, 4, 2, 3);
            }
        }
        return x.add(p);
    }

    @Override
    protected String onnx(OnnxGraph g, String x) {
        String p = g.constant(table.getArray());
        long[] target = target(g.shape(x));
        if (!java.util.Arrays.equals(target, grid)) {
            for (int axis = 2; axis >= 0; axis--) {
                String m = g.constant(matrix(grid[axis], target[axis]), grid[axis], target[axis]);
                p = g.transpose(g.binary("MatMul", p, m), 0, 1, 4, 2, 3);
            }
        }
        return g.binary("Add", x, p);
    }

    private static long[] target(Shape s) {
        return new long[] {s.get(2), s.get(3), s.get(4)};
    }

    /**
     * The (in x out) matrix M with (values M)[j] = linear interpolation of {@code values} at
     * output position j, align_corners=False: source = (j + 0.5) in / out - 0.5, clamped at 0.
     */
    static float[] matrix(long in, long out) {
        float[] m = new float[(int) (in * out)];
        for (int j = 0; j < out; j++) {
            double source = Math.max(0.0, (j + 0.5) * in / out - 0.5);
            int lo = (int) Math.floor(source);
            int hi = (int) Math.min(lo + 1, in - 1);
            double w = source - lo;
            m[(int) (lo * out + j)] += (float) (1 - w);
            m[(int) (hi * out + j)] += (float) w;
        }
        return m;
    }
}
