package org.brainfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.brainfm.BrainfmException;
import org.brainfm.volume.NiftiHeader;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Orientation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brainfm inspect}: header fields and voxel statistics of NIfTI files. */
@Command(
        name = "inspect",
        header = "Prints the header and voxel statistics of NIfTI files.",
        mixinStandardHelpOptions = true,
        description = {
            "Reads NIfTI-1/NIfTI-2 files (.nii, .nii.gz) and prints, per file: format, shape, datatype,"
                    + " voxel spacing, orientation and min/max/mean/nonzero of the voxel values (after"
                    + " scl_slope/scl_inter scaling; NaN voxels are left out of min, max and mean).",
            "The table leaves out the affine; --json gives it, with one JSON object per file and line:"
                    + " file, format, shape, datatype, spacing, affine, orientation, min, max, mean, nonzero.",
            "A file that cannot be read gets a one-line error; the others are still inspected, and the"
                    + " exit code is then 2.",
        },
        footer = {
            "",
            "Example:",
            "  brainfm inspect /usr/share/mricron/templates/ch2.nii.gz",
            "  brainfm inspect --json sub_1/ses_1/*.nii.gz",
        })
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "NIfTI files to inspect.")
    List<Path> files;

    @Option(names = "--json", description = "One JSON object per file and line, instead of a table.")
    boolean json;

    @Option(names = "--max-voxels", paramLabel = "N",
            description = "Refuse images with more voxels than this (default: -Dbrainfm.maxVoxels, else 2^30).")
    Long maxVoxels;

    @Spec
    CommandSpec spec;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] COLUMNS = {
        "file", "format", "shape", "datatype", "spacing", "orientation", "min", "max", "mean", "nonzero"
    };

    @Override
    public Integer call() throws Exception {
        long limit = maxVoxels == null ? NiftiReader.maxVoxels() : maxVoxels;
        if (limit <= 0) {
            throw new BrainfmException("--max-voxels", limit + ": must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String[]> rows = new ArrayList<>();
        boolean failed = false;
        for (Path file : files) {
            try {
                NiftiReader.Image image = NiftiReader.readImage(file, limit);
                Stats stats = Stats.of(image.volume().data());
                if (json) {
                    out.println(MAPPER.writeValueAsString(toJson(file, image, stats)));
                    out.flush();
                } else {
                    rows.add(row(file, image.header(), stats));
                }
            } catch (BrainfmException e) {
                err.println(Main.oneLine(e, "brainfm inspect"));
                err.flush();
                failed = true;
            }
        }
        if (!json && !rows.isEmpty()) {
            printTable(out, rows);
        }
        return failed ? Main.ERROR_EXIT : 0;
    }

    private static ObjectNode toJson(Path file, NiftiReader.Image image, Stats stats) {
        NiftiHeader h = image.header();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("file", file.toString());
        o.put("format", h.format());
        ArrayNode shape = o.putArray("shape");
        Arrays.stream(h.shape()).forEach(shape::add);
        o.put("datatype", h.datatype().label());
        ArrayNode spacing = o.putArray("spacing");
        for (double s : h.spacing()) {
            addNumber(spacing, s);
        }
        ArrayNode affine = o.putArray("affine");
        for (double[] r : h.affine()) {
            ArrayNode row = affine.addArray();
            Arrays.stream(r).forEach(row::add);
        }
        o.put("orientation", Orientation.code(h.affine()));
        putNumber(o, "min", stats.min());
        putNumber(o, "max", stats.max());
        putNumber(o, "mean", stats.mean());
        o.put("nonzero", stats.nonzero());
        return o;
    }

    /** JSON has no NaN or infinity: such values are written as null. */
    private static void addNumber(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static String[] row(Path file, NiftiHeader h, Stats s) {
        return new String[] {
            file.toString(),
            h.format(),
            Arrays.stream(h.shape()).mapToObj(Integer::toString).collect(Collectors.joining("x")),
            h.datatype().label(),
            Arrays.stream(h.spacing()).mapToObj(InspectCommand::format).collect(Collectors.joining("x")),
            Orientation.code(h.affine()),
            format(s.min()),
            format(s.max()),
            format(s.mean()),
            Long.toString(s.nonzero()),
        };
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.6g", v);
        return s.contains("e") ? s : s.replaceFirst("\\.?0+$", "");
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int[] width = new int[COLUMNS.length];
        for (int c = 0; c < COLUMNS.length; c++) {
            width[c] = COLUMNS[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        printRow(out, COLUMNS, width);
        rows.forEach(r -> printRow(out, r, width));
        out.flush();
    }

    /** Text columns left-aligned, numbers right-aligned. */
    private static void printRow(PrintWriter out, String[] cells, int[] width) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            boolean numeric = c >= 6;
            String pad = " ".repeat(width[c] - cells[c].length());
            s.append(c > 0 ? "  " : "").append(numeric ? pad + cells[c] : cells[c] + (c < cells.length - 1 ? pad : ""));
        }
        out.println(s.toString().stripTrailing());
    }

    /** Voxel statistics: min, max and mean over non-NaN values; nonzero counts values != 0. */
    record Stats(double min, double max, double mean, long nonzero) {
        static Stats of(float[] data) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            double sum = 0;
            long counted = 0;
            long nonzero = 0;
            for (float v : data) {
                if (v != 0) {
                    nonzero++;
                }
                if (v == v) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    counted++;
                }
            }
            if (counted == 0) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN, nonzero);
            }
            return new Stats(min, max, sum / counted, nonzero);
        }
    }
}
