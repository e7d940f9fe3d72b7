package org.brainfm.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
 * silently wrong, and different from run to run (it depends on when the collector runs).
 *
 * <p>So every way Java data enters a graph is here, and an architecture test fails when code
 * elsewhere calls {@code NDManager.create} with Java data or the {@code Number} overloads of
 * NDArray's arithmetic: arithmetic with a constant goes through {@link #scale}, {@link #plus} and
 * {@link #atLeast}, arrays from Java through {@link #copyOf} (training) or {@link #view}
 * (inference, where no graph keeps the array).
 */
public final class Tensors {
    /** One staging buffer per thread, reused, so copying in allocates no Java direct memory per array. */
    private static final ThreadLocal<ByteBuffer> STAGING = ThreadLocal.withInitial(() -> direct(1 << 16));

    private Tensors() {}

    /** {@code x} times {@code factor}, the factor held by libtorch (safe under autograd). */
    public static NDArray scale(NDArray x, double factor) {
        try (NDArray c = constant(x, factor)) {
            return x.mul(c);
        }
    }

    /** {@code x} plus {@code value}, the value held by libtorch. */
    public static NDArray plus(NDArray x, double value) {
        try (NDArray c = constant(x, value)) {
            return x.add(c);
        }
    }

    /** The element-wise maximum of {@code x} and {@code floor}, the floor held by libtorch. */
    public static NDArray atLeast(NDArray x, double floor) {
        try (NDArray c = constant(x, floor)) {
            return x.maximum(c);
        }
    }

    /**
     * {@code x} limited to [{@code low}, {@code high}], both held by libtorch. At a bound the
     * gradient is split as for maximum and minimum (clamp would pass it whole): alike but at ties.
     */
    public static NDArray clip(NDArray x, double low, double high) {
        try (NDArray floor = constant(x, low); NDArray ceiling = constant(x, high)) {
            return x.maximum(floor).minimum(ceiling);
        }
    }

    /**
     * A float32 array of {@code shape} over Java's {@code data} without a copy, for inference only:
     * nothing may keep it beyond the call it is made for (no autograd, no later reads). The engines'
     * managers (PyTorch's and ONNX Runtime's) both accept it.
     */
    public static NDArray view(NDManager manager, float[] data, Shape shape) {
        return manager.create(data, shape);
    }

    /**
     * The named arrays of a serialised file (safetensors, NPZ or DJL's own format, told apart by
     * their first bytes), each a copy in memory libtorch owns; closing the list frees them.
     */
    public static NDList decode(NDManager manager, byte[] bytes) {
        try (NDManager reading = manager.newSubManager()) {
            NDList read = NDList.decode(reading, bytes);
            NDList owned = new NDList();
            for (NDArray a : read) {
                NDArray copy = a.duplicate();
                copy.setName(a.getName());
                copy.attach(manager);
                owned.add(copy);
            }
            return owned;
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
        ByteBuffer slice = staging.duplicate().clear().limit(bytes).slice().order(ByteOrder.nativeOrder());
        slice.asFloatBuffer().put(data);
        try (NDArray shared = manager.create(slice, shape, DataType.FLOAT32)) {
            return shared.duplicate();
        }
    }

    /** A 0-d array of {@code x}'s type holding {@code value}, in memory libtorch owns. */
    private static NDArray constant(NDArray x, double value) {
        return x.getManager().full(new Shape(), (float) value, x.getDataType());
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
