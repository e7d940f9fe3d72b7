package org.brainfm.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.brainfm.BrainfmException;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;

/**
 * A contact sheet of phantom sessions: per row one subject, per column one contrast, the tissue
 * map and the lesion mask, as mid axial and mid coronal slices. Written as a PNG with the JDK's
 * ImageIO alone.
 */
public final class Preview {
    /** Colours of the tissue codes, indexed by {@link Tissue#code()}. */
    private static final Color[] TISSUE_COLOURS = {
        Color.BLACK, new Color(40, 90, 200), new Color(150, 150, 150), new Color(245, 245, 235),
        new Color(200, 120, 60), new Color(20, 40, 140), new Color(230, 190, 150), new Color(90, 70, 50),
        new Color(230, 40, 200), new Color(240, 220, 0),
    };
    private static final int LABEL_HEIGHT = 16;

    /** One row: a caption, the grey images, then the tissue map and the lesion mask (either may be null). */
    public record Row(String caption, List<Volume> images, Volume tissue, Volume mask) {}

    private Preview() {}

    /**
     * The contact sheet of a phantom folder (FOMO layout): one row per subject, columns t1, t2,
     * flair, dwi, tissue, seg of session {@code session}. With no subjects named, up to four
     * telling ones from participants.tsv: the youngest and the oldest without lesions, the first
     * with a meningioma, the first with an infarct (else the first three subjects).
     */
    public static BufferedImage sheet(Path dir, List<String> subjects, String session, int scale) {
        if (!Files.isDirectory(dir)) {
            throw new BrainfmException(dir.toString(), "is not a folder");
        }
        List<String> chosen = subjects.isEmpty() ? telling(dir) : subjects;
        List<String> columns = new ArrayList<>(PhantomContrast.ids());
        columns.add("tissue");
        columns.add("seg");
        List<Row> rows = new ArrayList<>();
        int[] shape = null;
        for (String subject : chosen) {
            Path ses = dir.resolve(subject).resolve(session);
            if (!Files.isDirectory(ses)) {
                throw new BrainfmException(ses.toString(), "does not exist (FOMO layout: sub_N/ses_M/<contrast>.nii.gz)");
            }
            List<Volume> images = new ArrayList<>();
            for (String c : PhantomContrast.ids()) {
                images.add(NiftiReader.read(ses.resolve(c + ".nii.gz")));
            }
            Volume tissue = optional(ses.resolve(PhantomWriter.TISSUE_FILE));
            Volume mask = optional(ses.resolve(PhantomWriter.SEG_FILE));
            for (Volume v : images) {
                if (shape == null) {
                    shape = new int[] {v.nx(), v.ny(), v.nz()};
                }
                if (v.nx() != shape[0] || v.ny() != shape[1] || v.nz() != shape[2]) {
                    throw new BrainfmException(ses.toString(), "images are not all " + shape[0] + "x" + shape[1] + "x" + shape[2]
                            + " (the sheet needs one grid)");
                }
            }
            String lesion = mask != null && hasAny(mask) ? ", meningioma" : "";
            rows.add(new Row(subject + "/" + session + caption(dir.resolve(subject)) + lesion, images, tissue, mask));
        }
        return render(columns, rows, scale);
    }

    private static boolean hasAny(Volume mask) {
        for (float v : mask.data()) {
            if (v > 0) {
                return true;
            }
        }
        return false;
    }

    private static Volume optional(Path file) {
        return Files.isRegularFile(file) ? NiftiReader.read(file) : null;
    }

    private static String caption(Path subject) {
        StringBuilder s = new StringBuilder();
        try {
            Path age = subject.resolve(PhantomWriter.AGE_FILE);
            if (Files.isRegularFile(age)) {
                s.append(", age ").append(Files.readString(age).trim());
            }
            Path label = subject.resolve(PhantomWriter.LABEL_FILE);
            if (Files.isRegularFile(label)) {
                s.append(", infarct ").append(Files.readString(label).trim());
            }
        } catch (IOException e) {
            throw new BrainfmException(subject.toString(), "cannot read labels: " + e.getMessage(), e);
        }
        return s.toString();
    }

    /** Up to four subjects that show the phantom's range, from participants.tsv. */
    private static List<String> telling(Path dir) {
        Path tsv = dir.resolve(PhantomWriter.PARTICIPANTS);
        List<String> picked = new ArrayList<>();
        try {
            if (Files.isRegularFile(tsv)) {
                List<String[]> rows = Files.readAllLines(tsv).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList();
                List<String[]> healthy = rows.stream().filter(r -> r[2].equals("0") && r[3].equals("0"))
                        .sorted(Comparator.comparingDouble(r -> Double.parseDouble(r[1]))).toList();
                if (!healthy.isEmpty()) {
                    picked.add(healthy.get(0)[0]);
                    picked.add(healthy.get(healthy.size() - 1)[0]);
                }
                rows.stream().filter(r -> r[3].equals("1")).findFirst().ifPresent(r -> picked.add(r[0]));
                // The infarct row: best a subject without a meningioma, whose slice would hide the infarct.
                rows.stream().filter(r -> r[2].equals("1") && !picked.contains(r[0]))
                        .min(Comparator.comparing((String[] r) -> r[3]))
                        .ifPresent(r -> picked.add(r[0]));
            }
            if (picked.isEmpty()) {
                try (var list = Files.list(dir)) {
                    list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sub_"))
                            .sorted(Layouts.NATURAL).limit(3).forEach(picked::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BrainfmException(tsv.toString(), "cannot read: " + e.getMessage(), e);
        }
        if (picked.isEmpty()) {
            throw new BrainfmException(dir.toString(), "has no sub_* folders");
        }
        return picked.stream().distinct().toList();
    }

    /**
     * Renders rows with column titles; {@code scale} pixels per voxel of the finest axis. A
     * phantom's field of view is a cube whatever its voxels, so each slice fills a square tile.
     */
    public static BufferedImage render(List<String> columns, List<Row> rows, int scale) {
        Volume first = rows.get(0).images().get(0);
        int tile = Math.max(first.nx(), Math.max(first.ny(), first.nz())) * scale;
        int cols = columns.size();
        int width = cols * tile * 2;
        int height = LABEL_HEIGHT + rows.size() * (tile + LABEL_HEIGHT) + LABEL_HEIGHT;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.WHITE);
        for (int c = 0; c < cols; c++) {
            g.drawString(columns.get(c) + " (axial | coronal)", c * 2 * tile + 4, LABEL_HEIGHT - 4);
        }
        int y0 = LABEL_HEIGHT;
        for (Row row : rows) {
            g.setColor(Color.WHITE);
            g.drawString(row.caption(), 4, y0 + LABEL_HEIGHT - 4);
            y0 += LABEL_HEIGHT;
            List<Volume> all = new ArrayList<>(row.images());
            all.add(row.tissue());
            all.add(row.mask());
            int[] focus = focus(row.tissue() != null ? row.tissue() : row.mask() != null ? row.mask() : row.images().get(0));
            for (int c = 0; c < all.size(); c++) {
                Volume v = all.get(c);
                if (v == null) {
                    continue;
                }
                boolean labels = c >= row.images().size();
                boolean mask = c == all.size() - 1;
                for (int view = 0; view < 2; view++) {
                    BufferedImage slice = view == 0 ? axial(v, focus[2], labels, mask) : coronal(v, focus[1], labels, mask);
                    g.drawImage(slice, (2 * c + view) * tile, y0, tile, tile, null);
                }
            }
            y0 += tile;
        }
        legend(g, y0 + LABEL_HEIGHT - 4);
        g.dispose();
        return out;
    }

    /** The tissue colours with their names, on one line. */
    private static void legend(Graphics2D g, int baseline) {
        int x = 4;
        g.setColor(Color.WHITE);
        g.drawString("tissue:", x, baseline);
        x += g.getFontMetrics().stringWidth("tissue:") + 8;
        for (Tissue t : Tissue.values()) {
            if (t == Tissue.BACKGROUND) {
                continue;
            }
            g.setColor(TISSUE_COLOURS[t.code()]);
            g.fillRect(x, baseline - 9, 10, 10);
            g.setColor(Color.WHITE);
            g.drawString(t.label(), x + 13, baseline);
            x += 13 + g.getFontMetrics().stringWidth(t.label()) + 10;
        }
    }

    public static void write(BufferedImage image, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new BrainfmException(file.toString(), "no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * The voxel the slices go through: the centre of the meningioma, else of the infarcts, so
     * that lesions show; else the centre of the grid.
     */
    private static int[] focus(Volume tissue) {
        for (Tissue lesion : List.of(Tissue.MENINGIOMA, Tissue.INFARCT)) {
            double[] sum = new double[3];
            int count = 0;
            for (int k = 0; k < tissue.nz(); k++) {
                for (int j = 0; j < tissue.ny(); j++) {
                    for (int i = 0; i < tissue.nx(); i++) {
                        if (Math.round(tissue.get(i, j, k)) == lesion.code()) {
                            sum[0] += i;
                            sum[1] += j;
                            sum[2] += k;
                            count++;
                        }
                    }
                }
            }
            if (count > 0) {
                return new int[] {(int) Math.round(sum[0] / count), (int) Math.round(sum[1] / count), (int) Math.round(sum[2] / count)};
            }
        }
        return new int[] {tissue.nx() / 2, tissue.ny() / 2, tissue.nz() / 2};
    }

    /** Axial slice k, shown with anterior up and the subject's right on the viewer's left. */
    private static BufferedImage axial(Volume v, int k, boolean labels, boolean mask) {
        return slice(v, v.nx(), v.ny(), (i, j) -> v.get(v.nx() - 1 - i, v.ny() - 1 - j, k), labels, mask);
    }

    /** Coronal slice j, superior up, left-right as the axial. */
    private static BufferedImage coronal(Volume v, int j, boolean labels, boolean mask) {
        return slice(v, v.nx(), v.nz(), (i, row) -> v.get(v.nx() - 1 - i, j, v.nz() - 1 - row), labels, mask);
    }

    private interface Pixel {
        float at(int column, int row);
    }

    private static BufferedImage slice(Volume v, int w, int h, Pixel p, boolean labels, boolean mask) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float hi = labels ? 1 : percentile(v.data(), 0.995);
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                float value = p.at(col, row);
                int rgb;
                if (mask) {
                    rgb = value > 0 ? 0xE028C8 : 0x000000;
                } else if (labels) {
                    int code = Math.max(0, Math.min(TISSUE_COLOURS.length - 1, Math.round(value)));
                    rgb = TISSUE_COLOURS[code].getRGB();
                } else {
                    int grey = (int) Math.max(0, Math.min(255, 255 * value / hi));
                    rgb = grey * 0x010101;
                }
                img.setRGB(col, row, rgb);
            }
        }
        return img;
    }

    private static float percentile(float[] data, double q) {
        float[] sorted = data.clone();
        Arrays.sort(sorted);
        float v = sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
        return v > 0 ? v : 1;
    }
}
