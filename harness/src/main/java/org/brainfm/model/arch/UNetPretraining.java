package org.brainfm.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.model.layer.Conv;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.ModelBlock;
import org.brainfm.model.layer.Pass;
import org.brainfm.model.layer.Pool3d;
import org.brainfm.model.onnx.OnnxGraph;

/**
 * The compact U-Net's pretraining model (FOMO25 winner): the plain encoder; every stage's output
 * average-pooled to the bottleneck grid and concatenated; two 1^3 convolutions to a subject and
 * a modality code, each mean and log-variance (a VAE latent); a decoder without skips from the
 * concatenated [subject, modality] codes back to the image.
 *
 * <p>{@code forward} returns [reconstruction, subject mean, subject log-variance, modality mean,
 * modality log-variance], the reconstruction decoded from the means. Objectives that sample
 * the codes or swap them between scans call {@link #encode} and {@link #decode} themselves.
 */
public final class UNetPretraining extends ModelBlock implements BrainModel {
    private final UNetEncoder encoder;
    private final List<Pool3d> pools = new ArrayList<>();
    private final Conv subject;
    private final Conv modality;
    private final SkipDecoder decoder;
    private final int in;
    private final int latent;

    public UNetPretraining(int in, int[] widths, int latent) {
        this.in = in;
        this.latent = latent;
        encoder = addChildBlock("encoder", UNetEncoder.plain(in, widths));
        int concatenated = 0;
        for (int s = 0; s < widths.length; s++) {
            pools.add(Pool3d.average(1 << (widths.length - 1 - s)));
            concatenated += widths[s];
        }
        subject = addChildBlock("subject", Conv.pointwise(concatenated, 2 * latent));
        modality = addChildBlock("modality", Conv.pointwise(concatenated, 2 * latent));
        decoder = addChildBlock("decoder", new SkipDecoder(2 * latent, widths, in, false));
    }

    public UNetEncoder encoder() {
        return encoder;
    }

    public SkipDecoder decoder() {
        return decoder;
    }

    /** Channels of each code (subject and modality alike). */
    public int latent() {
        return latent;
    }

    @Override
    public int inChannels() {
        return in;
    }

    @Override
    public List<String> outputNames() {
        return List.of("reconstruction", "subject_mean", "subject_logvar", "modality_mean", "modality_logvar");
    }

    /** [subject mean, subject log-variance, modality mean, modality log-variance], each (B, latent, g, g, g). */
    public NDList encode(Pass pass, NDArray x) {
        NDList features = encoder.features(pass, x);
        NDList pooled = new NDList();
        for (int s = 0; s < features.size(); s++) {
            pooled.add(pools.get(s).apply(pass, features.get(s)));
        }
        NDArray joined = NDArrays.concat(pooled, 1);
        NDList subjectCode = subject.apply(pass, joined).split(2, 1);
        NDList modalityCode = modality.apply(pass, joined).split(2, 1);
        return new NDList(subjectCode.get(0), subjectCode.get(1), modalityCode.get(0), modalityCode.get(1));
    }

    /** The image decoded from a subject code and a modality code (means or samples). */
    public NDArray decode(Pass pass, NDArray subjectCode, NDArray modalityCode) {
        return decoder.decode(pass, new NDList(subjectCode.concat(modalityCode, 1)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        Pass pass = new Pass(store, training);
        NDList codes = encode(pass, inputs.singletonOrThrow());
        NDList out = new NDList(decode(pass, codes.get(0), codes.get(2)));
        out.addAll(codes);
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] features = encoder.trace(inputShapes[0], new Cost());
        Shape deepest = features[features.length - 1];
        Shape code = new Shape(deepest.get(0), latent, deepest.get(2), deepest.get(3), deepest.get(4));
        return new Shape[] {inputShapes[0], code, code, code, code};
    }

    @Override
    public Cost cost(Shape input) {
        Cost cost = new Cost();
        Shape[] features = encoder.trace(input, cost);
        long channels = 0;
        for (Shape f : features) {
            channels += f.get(1);
        }
        Shape deepest = features[features.length - 1];
        Shape joined = new Shape(deepest.get(0), channels, deepest.get(2), deepest.get(3), deepest.get(4));
        Shape code = subject.trace(joined, cost);
        modality.trace(joined, cost);
        decoder.trace(new Shape[] {code}, cost);
        return cost;
    }

    @Override
    public List<String> exportOnnx(OnnxGraph g, String x) {
        List<String> features = encoder.export(g, x);
        List<String> pooled = new ArrayList<>();
        long channels = 0;
        for (int s = 0; s < features.size(); s++) {
            pooled.add(pools.get(s).export(g, features.get(s)));
            channels += g.shape(features.get(s)).get(1);
        }
        Shape deepest = g.shape(pooled.get(pooled.size() - 1));
        String joined = g.node("Concat", pooled, OnnxGraph.attr("axis", 1L));
        g.shape(joined, new Shape(deepest.get(0), channels, deepest.get(2), deepest.get(3), deepest.get(4)));
        List<String> codes = new ArrayList<>();
        for (Conv head : List.of(subject, modality)) {
            String both = head.export(g, joined);
            for (long start = 0; start < 2 * latent; start += latent) {
                String part = g.node("Slice", List.of(both, g.ints(start), g.ints(start + latent), g.ints(1)));
                g.shape(part, new Shape(deepest.get(0), latent, deepest.get(2), deepest.get(3), deepest.get(4)));
                codes.add(part);
            }
        }
        String latentMap = g.node("Concat", List.of(codes.get(0), codes.get(2)), OnnxGraph.attr("axis", 1L));
        g.shape(latentMap, new Shape(deepest.get(0), 2L * latent, deepest.get(2), deepest.get(3), deepest.get(4)));
        List<String> out = new ArrayList<>();
        out.add(decoder.export(g, List.of(latentMap)));
        out.addAll(codes);
        return out;
    }
}
