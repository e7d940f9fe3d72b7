package org.brainfm.model.card;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.brainfm.model.arch.BrainModel;
import org.brainfm.model.arch.Decoder;
import org.brainfm.model.arch.Encoder;
import org.brainfm.model.arch.Head;
import org.brainfm.model.arch.Network;
import org.brainfm.model.arch.PoolHead;
import org.brainfm.model.arch.PrimusDecoder;
import org.brainfm.model.arch.SkipDecoder;
import org.brainfm.model.arch.StagePoolHead;
import org.brainfm.model.arch.UNetEncoder;
import org.brainfm.model.arch.UNetPretraining;
import org.brainfm.model.arch.VitEncoder;
import org.brainfm.model.card.ModelCard.Preset;
import org.brainfm.model.layer.Cost;
import org.brainfm.model.layer.TransposedConv;

/**
 * Builds networks from a validated card and a preset. This is the entry point for pretraining
 * and finetuning: {@link #build} for an encoder with a head, {@link #pretraining} for the
 * compact U-Net's subject/modality model, {@link #encoder} for the backbone alone.
 */
public final class Models {
    /** ViT's MLP width ratio; EVA's SwiGLU uses 8/3 so that its three matrices cost as two. */
    static final double VIT_MLP_RATIO = 4.0;
    static final double SWIGLU_MLP_RATIO = 8.0 / 3.0;

    private Models() {}

    /** The backbone alone, with {@code in} input channels. */
    public static Encoder encoder(ModelCard card, String preset, int in) {
        Preset p = card.preset(preset);
        return switch (card.architecture()) {
            case "compact-unet" -> UNetEncoder.plain(in, p.widths());
            case "resenc-unet" -> UNetEncoder.residual(in, p.widths(), p.blocks());
            case "vit", "primus" -> {
                boolean eva = card.architecture().equals("primus");
                double ratio = p.mlpRatio() != null ? p.mlpRatio() : eva ? SWIGLU_MLP_RATIO : VIT_MLP_RATIO;
                yield new VitEncoder(in, p.dim(), p.depth(), p.heads(), (int) Math.round(p.dim() * ratio),
                        p.tokenPatch(), grid(p), eva);
            }
            default -> throw new IllegalStateException("unvalidated card " + card.source());
        };
    }

    /**
     * An encoder with a head for {@code contrasts} input scans, stacked as channels or passed
     * one by one through a shared encoder as the card says.
     */
    public static Network build(ModelCard card, String preset, Head head, int contrasts) {
        Encoder encoder = encoder(card, preset, card.sharedContrasts() ? 1 : contrasts);
        // a shared encoder's scans stay apart for an image-level head: averaging T1 with T2 cancels what is dark in one and bright in the other
        int scans = card.sharedContrasts() && !head.dense() ? contrasts : 1;
        return new Network(encoder, decoder(card, preset, encoder, head, scans), contrasts, card.sharedContrasts(), scans > 1);
    }

    /** The compact U-Net's pretraining model (one scan in; subject and modality codes). */
    public static UNetPretraining pretraining(ModelCard card, String preset) {
        if (!card.architecture().equals("compact-unet")) {
            throw new org.brainfm.BrainfmException(card.source() + " architecture",
                    "only compact-unet has a subject/modality pretraining model, not " + card.architecture());
        }
        Preset p = card.preset(preset);
        return new UNetPretraining(1, p.widths(), p.latent());
    }

    /** The model whose size the literature reports (the card's {@code reference_head}). */
    public static Block reference(ModelCard card, String preset) {
        return switch (card.referenceHead()) {
            case "pretraining" -> pretraining(card, preset);
            case "segmentation" -> build(card, preset, Head.segmentation(2), 1);
            default -> encoder(card, preset, 1);
        };
    }

    /** Parameters and forward FLOPs of the reference model on one patch of the card's size. */
    public static Cost referenceCost(ModelCard card, String preset) {
        Block block = reference(card, preset);
        Shape input = inputShape(card, preset, 1);
        if (block instanceof BrainModel model) {
            return model.cost(input);
        }
        Cost cost = new Cost();
        ((Encoder) block).trace(input, cost);
        return cost;
    }

    /** (1, channels, patch) for the preset's patch. */
    public static Shape inputShape(ModelCard card, String preset, int channels) {
        int[] patch = card.preset(preset).patch();
        return new Shape(1, channels, patch[0], patch[1], patch[2]);
    }

    private static Decoder decoder(ModelCard card, String preset, Encoder encoder, Head head, int scans) {
        Preset p = card.preset(preset);
        int[] channels = encoder.channels();
        for (int i = 0; i < channels.length; i++) {
            channels[i] *= scans;
        }
        if (!head.dense()) {
            // U-Nets: every stage's averages and maxima, so that a small lesion's response in the
            // shallow maps reaches the head (StagePoolHead); token maps (ViTs) pool their last map
            if (encoder instanceof UNetEncoder) {
                return new StagePoolHead(channels, head.outputs());
            }
            return Decoder.onDeepest(new PoolHead(channels[channels.length - 1], head.outputs()));
        }
        return switch (card.architecture()) {
            case "vit" -> Decoder.onDeepest(new TransposedConv(p.dim(), head.outputs(), p.tokenPatch()));
            case "primus" -> Decoder.onDeepest(PrimusDecoder.build(p.dim(), p.tokenPatch(), head.outputs()));
            default -> new SkipDecoder(channels[channels.length - 1], channels, head.outputs(), true);
        };
    }

    static long[] grid(Preset p) {
        return new long[] {p.patch()[0] / p.tokenPatch(), p.patch()[1] / p.tokenPatch(), p.patch()[2] / p.tokenPatch()};
    }
}
