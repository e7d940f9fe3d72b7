package org.brainfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.metrics.DistanceGrid;
import org.brainfm.metrics.Flag;
import org.brainfm.metrics.Masks;
import org.brainfm.metrics.Metric;
import org.brainfm.metrics.SegmentationMetrics;
import org.brainfm.metrics.SegmentationScores;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm metrics}: Dice, NSD and HD95 of one predicted mask against its reference. */
@Command(
        name = "metrics",
        header = "Scores a segmentation mask against a reference: Dice, NSD, HD95.",
        mixinStandardHelpOptions = true,
        description = {
            "Scores a predicted segmentation mask against a reference mask: Dice, normalised",
            "surface distance (NSD) at a tolerance in mm, and HD95 in mm, on the reference's",
            "grid with its voxel spacing (conventions: docs/metrics.md). Nonzero voxels are",
            "foreground unless --label picks one label. The prediction must be on the",
            "reference's grid (same shape, affine within 0.001); it is never resampled.",
            "An empty mask scores the worst values, flagged; both empty scores 1, 1, 0.",
            "--json prints one object: dice, nsd, hd95, pred_voxels, ref_voxels, tolerance_mm",
            "and, when a score is flagged, flag.",
        },
        footer = {
            "",
            "Example:",
            "  brainfm metrics --pred pred.nii.gz --ref seg.nii.gz",
            "  brainfm metrics --pred aparc.nii.gz --ref truth.nii.gz --label 17 --tolerance-mm 1 --json",
        })
public final class MetricsCommand implements Callable<Integer> {
    @Option(names = "--pred", required = true, paramLabel = "FILE", description = "Predicted mask (NIfTI).")
    Path pred;

    @Option(names = "--ref", required = true, paramLabel = "FILE", description = "Reference mask (NIfTI).")
    Path ref;

    @Option(names = "--label", paramLabel = "K",
            description = "Score only voxels equal to K in both files (default: every nonzero voxel).")
    Integer label;

    @Option(names = "--tolerance-mm", paramLabel = "T",
            description = "NSD tolerance in mm (default: ${DEFAULT-VALUE}).")
    double toleranceMm = SegmentationMetrics.DEFAULT_TOLERANCE_MM;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        if (!(toleranceMm >= 0) || Double.isInfinite(toleranceMm)) {
            throw new BrainfmException("--tolerance-mm", toleranceMm + ": must be a finite number >= 0");
        }
        Volume r = mask3d(ref, NiftiReader.read(ref));
        Volume p = mask3d(pred, NiftiReader.read(pred));
        DistanceGrid.requireSame(pred.toString(), p.shape(), p.affine(), ref.toString(), r.shape(), r.affine());
        if (Masks.hasNaN(r.data())) {
            throw new BrainfmException(ref.toString(), "the reference mask holds NaN voxels");
        }
        DistanceGrid grid = new DistanceGrid(r.shape(), r.spacing());
        boolean[] refMask = mask(r.data());
        SegmentationScores s = Masks.hasNaN(p.data())
                ? SegmentationMetrics.invalid(refMask, grid, toleranceMm)
                : SegmentationMetrics.score(mask(p.data()), refMask, grid, toleranceMm);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(MAPPER.writeValueAsString(toJson(s)));
        } else {
            out.printf(Locale.ROOT, "dice          %s%n", Metric.DICE.format(s.dice().value()));
            out.printf(Locale.ROOT, "nsd           %s (tolerance %s mm)%n", Metric.NSD.format(s.nsd().value()),
                    plain(toleranceMm));
            out.printf(Locale.ROOT, "hd95          %s mm%n", Metric.HD95.format(s.hd95().value()));
            out.printf(Locale.ROOT, "pred_voxels   %d%n", s.predVoxels());
            out.printf(Locale.ROOT, "ref_voxels    %d%n", s.refVoxels());
            if (s.flag() != Flag.OK) {
                out.printf(Locale.ROOT, "flag          %s%n", s.flag().key());
            }
        }
        out.flush();
        return 0;
    }

    static ObjectNode toJson(SegmentationScores s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("dice", s.dice().value());
        o.put("nsd", s.nsd().value());
        o.put("hd95", s.hd95().value());
        o.put("pred_voxels", s.predVoxels());
        o.put("ref_voxels", s.refVoxels());
        o.put("tolerance_mm", s.toleranceMm());
        if (s.flag() != Flag.OK) {
            o.put("flag", s.flag().key());
        }
        return o;
    }

    private boolean[] mask(float[] values) {
        return label == null ? Masks.foreground(values) : Masks.label(values, label);
    }

    /** The volume as a 3D mask; a 4D file with more than one frame is refused. */
    private static Volume mask3d(Path file, Volume v) {
        if (v.nt() != 1) {
            throw new BrainfmException(file.toString(), "has " + v.nt() + " frames; a mask must be one 3D volume");
        }
        int[] s = v.shape();
        return s.length == 3 ? v : new Volume(new int[] {s[0], s[1], s[2]}, v.data(), v.affine());
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
