package org.brainfm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brainfm data}: synth, preview and list through the CLI, and their one-line errors. */
class DataCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void synthWritesThePhantomAndPreviewDrawsIt() throws IOException {
        Path dir = tmp.resolve("phantom");
        Result r = run("data", "synth", "--out", dir.toString(), "--subjects", "5", "--size", "32", "--seed", "2", "--sessions", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).matches("wrote 5 subjects x 2 sessions \\(32\\^3, 6.00 mm\\) to .* in [0-9.]+ s; [0-9]+ ms per subject on one thread \\(render and write\\)\\n");
        assertThat(dir.resolve("sub_5/ses_2/dwi.nii.gz")).isRegularFile();
        assertThat(Files.readAllLines(dir.resolve("participants.tsv"))).hasSize(6);

        Path png = tmp.resolve("sheet.png");
        Result p = run("data", "preview", dir.toString(), "--out", png.toString(), "--scale", "1");
        assertThat(p.code()).as(p.err()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        // Six columns of axial + coronal 32-pixel tiles.
        assertThat(image.getWidth()).isEqualTo(6 * 2 * 32);
        assertThat(image.getHeight()).isGreaterThan(2 * 32);

        Result one = run("data", "preview", dir.toString(), "--out", png.toString(), "--subject", "sub_4", "--session", "ses_2");
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(16 + 16 + 64 + 16);
    }

    @Test
    void badSynthOptionsAreOneLineErrors() throws IOException {
        String out = tmp.resolve("x").toString();
        assertOneLine(run("data", "synth", "--out", out, "--size", "7"),
                "brainfm: --size: 7 is not a multiple of 16 between 32 and 512 (networks downsample by 16)");
        assertOneLine(run("data", "synth", "--out", out, "--size", "0"),
                "brainfm: --size: 0 is not a multiple of 16 between 32 and 512 (networks downsample by 16)");
        assertOneLine(run("data", "synth", "--out", out, "--subjects", "0"), "brainfm: --subjects: 0 is not between 1 and 100000");
        assertOneLine(run("data", "synth", "--out", out, "--sessions", "-1"), "brainfm: --sessions: -1 is not between 1 and 16");
        assertOneLine(run("data", "synth", "--out", out, "--infarct-share", "1.5"), "brainfm: --infarct-share: 1.5 is not between 0 and 1");
        assertThat(run("data", "synth", "--out", out, "--size", "big").err()).startsWith("brainfm: data synth: Invalid value for option '--size'");
        assertThat(run("data", "synth").err()).startsWith("brainfm: data synth: Missing required option: '--out=DIR'");

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Result underFile = run("data", "synth", "--out", file.resolve("phantom").toString(), "--size", "32", "--subjects", "1");
        assertOneLine(underFile, "brainfm: " + file.resolve("phantom") + ": cannot create the directory: ");
        assertOneLine(run("data", "synth", "--out", file.toString()), "brainfm: " + file + ": exists and is not a directory");
        Path foreign = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        assertOneLine(run("data", "synth", "--out", foreign.toString()),
                "brainfm: " + foreign + ": is not empty and holds no phantom (no phantom.json); choose another directory or empty it");
        assertThat(foreign.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void badPreviewInputsAreOneLineErrors() {
        assertOneLine(run("data", "preview", tmp.resolve("none").toString(), "--out", tmp.resolve("p.png").toString()),
                "brainfm: " + tmp.resolve("none") + ": is not a folder");
        assertOneLine(run("data", "preview", tmp.toString(), "--out", tmp.resolve("p.png").toString(), "--scale", "0"),
                "brainfm: --scale: 0 is not between 1 and 8");
        assertOneLine(run("data", "preview", tmp.toString(), "--out", tmp.resolve("p.png").toString(), "--subject", "sub_9"),
                "brainfm: " + tmp.resolve("sub_9/ses_1") + ": does not exist");
    }

    @Test
    void listShowsTheShippedFileAndReportsItsMistakesByLine() throws IOException {
        Path shipped = Files.isRegularFile(Path.of("../datasets.yaml")) ? Path.of("../datasets.yaml") : Path.of("datasets.yaml");
        Result r = run("data", "list", "--datasets", shipped.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("synthetic-meningioma", "mricron-template", "pretraining: synthetic")
                .containsPattern("brain-age +regression +synthetic-age +inputs t1,t2");
        Path broken = Files.writeString(tmp.resolve("d.yaml"), Files.readString(shipped).replace("type: segmentation", "type: segmentaton"));
        Result b = run("data", "list", "--datasets", broken.toString());
        assertOneLine(b, "brainfm: " + broken + ":");
        assertThat(b.err()).containsPattern(":\\d+: tasks\\[1\\]\\.type: \"segmentaton\" is not one of segmentation, classification, regression\\n$");
    }

    @Test
    void everySubcommandHasHelpWithAnExample() {
        for (String sub : new String[] {"list", "synth", "preview"}) {
            Result r = run("data", sub, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Example:", "brainfm data " + sub);
        }
        assertThat(run("data").out()).contains("synth", "preview", "list");
    }

    private static void assertOneLine(Result r, String prefix) {
        assertThat(r.code()).isEqualTo(Main.ERROR_EXIT);
        assertThat(r.err()).startsWith(prefix).endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception");
    }
}
