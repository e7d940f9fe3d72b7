package org.brainfm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Arrays whose memory libtorch owns, for everything that enters a graph autograd differentiates.
 *
 * <p>On the CPU, DJL's PyTorch engine does not copy Java data into a tensor: {@code torch::from_blob}
 * wraps a direct ByteBuffer, which the Java garbage collector frees once the array's wrapper is
 * unreachable. That includes the scalar of every NDArray-and-Number operation: {@code x.mul(0.5f)}
 * wraps 0.5 in such a 0-d array and closes it at once, while autograd keeps it for the backward
 * pass (d(cx)/dx = c). A collection between forward and backward then frees it, and the gradient
 * is multiplied by whatever the allocator put there next: now and then NaN or Inf, otherwise
 * silently wrong, and different from run to run (it depends on when the collector runs). So a
 * differentiated product or quotient with a constant goes through {@link #scale}, and data from
 * Java through {@link #copyOf}.
 */
public final class Tensors {
    /** One staging buffer per thread, reused, so copying in allocates no Java direct memory per array. */
    private static final ThreadLocal<ByteBuffer> STAGING = ThreadLocal.withInitial(() -> direct(1 << 16));

    private Tensors() {}

    /** {@code x} times {@code factor}, the factor held by libtorch (safe under autograd). */
    public static NDArray scale(NDArray x, double factor) {
        try (NDArray c = x.getManager().full(new Shape(), (float) factor, x.getDataType())) {
            return x.mul(c);
        }
    }

    /** A float32 array of {@code shape} on {@code manager}'s device, copied into memory libtorch owns. */
    public static NDArray copyOf(NDManager manager, float[] data, Shape shape) {
        if (shape.size() != data.length) {
            throw new IllegalArgumentException(data.length + " values for shape " + shape);
        }
        int bytes = data.length * Float.BYTES;
        ByteBuffer staging = STAGING.get();
        if (staging.capacity() < bytes) {
            staging = direct(bytes);
            STAGING.set(staging);
        }
        ByteBuffer view = staging.duplicate().clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
        view.asFloatBuffer().put(data);
        try (NDArray shared = manager.create(view, shape, DataType.FLOAT32)) {
            return shared.duplicate();
        }
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
