package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.layer.Chain;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.layer.Pool3d;
import org.brainfm.model.layer.ResidualBlock;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * A U-Net encoder. Plain (the compact U-Net): per stage MaxPool3d(2) (but the first) and two
 * conv blocks. Residual (ResEnc): a conv-block stem, then per stage residual blocks, the first
 * of which strides by 2 (but in the first stage).
 */
public final class UNetEncoder extends Encoder {
    private final int in;
    private final int[] widths;
    private final List<Chain> stages = new ArrayList<>();

    private UNetEncoder(int in, int[] widths) {
        this.in = in;
        this.widths = widths.clone();
    }

    public static UNetEncoder plain(int in, int[] widths) {
        UNetEncoder e = new UNetEncoder(in, widths);
        int previous = in;
        for (int s = 0; s < widths.length; s++) {
            Chain stage = new Chain();
            if (s > 0) {
                stage.add(Pool3d.max(2));
            }
            stage.add(Chain.convBlock(previous, widths[s], 1)).add(Chain.convBlock(widths[s], widths[s], 1));
            e.stages.add(e.addChildBlock("stage" + s, stage));
            previous = widths[s];
        }
        return e;
    }

    public static UNetEncoder residual(int in, int[] widths, int[] blocks) {
        UNetEncoder e = new UNetEncoder(in, widths);
        int previous = widths[0];
        for (int s = 0; s < widths.length; s++) {
            Chain stage = new Chain();
            if (s == 0) {
                stage.add(Chain.convBlock(in, widths[0], 1));
            }
            for (int b = 0; b < blocks[s]; b++) {
                stage.add(new ResidualBlock(b == 0 ? previous : widths[s], widths[s], b == 0 && s > 0 ? 2 : 1));
            }
            e.stages.add(e.addChildBlock("stage" + s, stage));
            previous = widths[s];
        }
        return e;
    }

    @Override
    public int inChannels() {
        return in;
    }

    @Override
    public int[] channels() {
        return widths.clone();
    }

    @Override
    public int reduction() {
        return 1 << (widths.length - 1);
    }

    @Override
    public NDList features(Pass pass, NDArray x) {
        NDList out = new NDList();
        NDArray y = x;
        for (Chain stage : stages) {
            y = stage.apply(pass, y);
            out.add(y);
        }
        return out;
    }

    @Override
    public Shape[] trace(Shape input, Cost cost) {
        Shape[] out = new Shape[stages.size()];
        Shape s = input;
        for (int i = 0; i < out.length; i++) {
            s = stages.get(i).trace(s, cost);
            out[i] = s;
        }
        return out;
    }

    @Override
    public List<String> export(OnnxGraph g, String x) {
        List<String> out = new ArrayList<>();
        String y = x;
        for (Chain stage : stages) {
            y = stage.export(g, y);
            out.add(y);
        }
        return out;
    }
}
