package org.brainfm.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** For tests: provoke what a garbage collection between a forward and a backward pass can do. */
public final class FreedMemory {
    private FreedMemory() {}

    /**
     * Collects the heap (so the Java memory of every unreachable array is freed) and allocates
     * small direct buffers full of NaN, which take the freed blocks' place.
     */
    public static void collectAndReuse() {
        List<ByteBuffer> junk = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 5000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(16);
                while (b.hasRemaining()) {
                    b.putFloat(Float.NaN);
                }
                junk.add(b);
            }
        }
        assertThat(junk).hasSize(10_000);
    }
}
