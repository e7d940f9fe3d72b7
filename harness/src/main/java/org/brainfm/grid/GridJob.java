package org.brainfm.grid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.brainfm.BrainfmException;

/**
 * One job of a grid: a {@code brainfm} command line (everything after the launcher) and the hash of
 * its configuration, by which the records know it. A finetuning job is one card, preset, task,
 * seed, start (a pretraining run or scratch), protocol and training overrides; its hash covers the
 * card file's bytes too, so an edited card is a new job. Where the records are, where the data
 * and models live and the device are not part of a job's configuration. A scoring job is one
 * pending submission; the submission's own status says whether it is done.
 */
public record GridJob(String label, String hash, List<String> arguments, Long submission) {
    public GridJob {
        arguments = List.copyOf(arguments);
    }

    /** What a finetuning job is: the options that change its result. */
    public record Finetune(Path cardFile, String cardName, String preset, String task, long seed, String init,
            String protocol, Integer epochs, Integer iterations, List<String> extra) {
        public Finetune {
            extra = List.copyOf(extra);
        }
    }

    /**
     * A finetuning job: {@code brainfm finetune ... --job HASH --evaluate} (checkpointed, resumable,
     * scored onto the board), with {@code shared} (records, data, models, device) appended.
     */
    public static GridJob finetune(Finetune f, List<String> shared) {
        String cardBytes;
        try {
            cardBytes = sha256(Files.readAllBytes(f.cardFile()));
        } catch (IOException e) {
            throw new BrainfmException(f.cardFile().toString(), "cannot read the card: " + e.getMessage(), e);
        }
        // one line per setting, each named: a change of any of them is another job
        String configuration = String.join("\n", "finetune", "card=" + f.cardName(), "card_sha256=" + cardBytes,
                "preset=" + f.preset(), "task=" + f.task(), "seed=" + f.seed(), "init=" + f.init(),
                "protocol=" + (f.protocol() == null ? "" : f.protocol()),
                "epochs=" + (f.epochs() == null ? "" : f.epochs()),
                "iterations=" + (f.iterations() == null ? "" : f.iterations()),
                "extra=" + String.join(" ", f.extra()));
        String hash = sha256(configuration.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        List<String> args = new ArrayList<>(List.of("finetune", "--card", f.cardFile().toAbsolutePath().toString(),
                "--preset", f.preset(), "--task", f.task(), "--seed", Long.toString(f.seed()), "--init", f.init()));
        if (f.protocol() != null) {
            args.addAll(List.of("--protocol", f.protocol()));
        }
        if (f.epochs() != null) {
            args.addAll(List.of("--epochs", f.epochs().toString()));
        }
        if (f.iterations() != null) {
            args.addAll(List.of("--iterations", f.iterations().toString()));
        }
        args.addAll(f.extra());
        args.addAll(List.of("--job", hash, "--evaluate"));
        args.addAll(shared);
        String label = f.cardName() + " (" + f.preset() + ", " + f.init() + ") on " + f.task() + ", seed " + f.seed();
        return new GridJob(label, hash, args, null);
    }

    /** Scoring pending submission {@code id}: {@code brainfm score --submission ID}, with {@code shared} appended. */
    public static GridJob score(long id, List<String> shared) {
        List<String> args = new ArrayList<>(List.of("score", "--submission", Long.toString(id)));
        args.addAll(shared);
        String hash = sha256(("score\nsubmission=" + id).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return new GridJob("submission " + id, hash, args, id);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
