package org.brainfm.model.arch;

import org.brainfm.model.layer.Chain;
import org.brainfm.model.layer.Nonlinearity;
import org.brainfm.model.layer.TokenNorm;
import org.brainfm.model.layer.TransposedConv;

/**
 * Primus's light patch decoder: log2(patch) stages of 2x transposed convolution, each but the
 * last followed by a channel LayerNorm (eps 1e-6) and GELU; widths shrink geometrically from
 * the embedding width to the output, rounded to multiples of 8.
 */
public final class PrimusDecoder {
    private PrimusDecoder() {}

    public static Chain build(int dim, int patch, int out) {
        int stages = Integer.numberOfTrailingZeros(patch);
        double reduction = Math.pow(dim / (2.0 * out), 1.0 / stages);
        int[] widths = new int[stages + 1];
        widths[0] = dim;
        for (int i = 1; i <= stages; i++) {
            widths[i] = (int) Math.max(8, Math.round((dim / Math.pow(reduction, i) + 1e-6) / 8) * 8);
        }
        widths[stages] = out;
        Chain chain = new Chain();
        for (int s = 0; s < stages; s++) {
            chain.add(new TransposedConv(widths[s], widths[s + 1], 2));
            if (s < stages - 1) {
                chain.add(new TokenNorm(widths[s + 1], 1e-6f, true)).add(Nonlinearity.gelu());
            }
        }
        return chain;
    }
}
