package org.brainfm.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.brainfm.BrainfmException;

/**
 * A training checkpoint, {@code checkpoint.bin} in a run's folder: the run's fingerprint (its
 * configuration, so that a resume cannot continue a different run), the epochs and steps done,
 * every block's parameters and AdamW's moments and step count. The random state is the step
 * count ({@link Seeds}). Written to a temporary file and moved into place, so an interrupted
 * write (Ctrl-C, a crash) leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    public static final String FILE = "checkpoint.bin";
    private static final String MAGIC = "brainfm-checkpoint";
    private static final int VERSION = 1;

    private Checkpoint() {}

    /** Where we are after a load: epochs and steps done. */
    public record Position(int epochsDone, long steps) {}

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    static void write(Path dir, String fingerprint, Position position, List<Block> blocks, AdamW optimizer) {
        Path file = dir.resolve(FILE);
        Path temporary = dir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(dir);
            try (OutputStream raw = Files.newOutputStream(temporary);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
                out.writeUTF(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(fingerprint);
                out.writeInt(position.epochsDone());
                out.writeLong(position.steps());
                out.writeInt(blocks.size());
                for (Block block : blocks) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (DataOutputStream b = new DataOutputStream(bytes)) {
                        block.saveParameters(b);
                    }
                    out.writeInt(bytes.size());
                    bytes.writeTo(out);
                }
                optimizer.save(out);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot write the checkpoint: " + e.getMessage(), e);
        }
    }

    /** Restores blocks and optimizer from {@code dir}'s checkpoint; refuses one of another run. */
    static Position read(Path dir, String fingerprint, List<Block> blocks, AdamW optimizer, NDManager manager) {
        Path file = dir.resolve(FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
                throw new BrainfmException(file.toString(), "not a brainfm checkpoint of this version");
            }
            String saved = in.readUTF();
            if (!saved.equals(fingerprint)) {
                throw new BrainfmException(file.toString(), "belongs to another configuration; resume with the same "
                        + "options, or start afresh without --resume (saved: " + saved + ", now: " + fingerprint + ")");
            }
            Position position = new Position(in.readInt(), in.readLong());
            int count = in.readInt();
            if (count != blocks.size()) {
                throw new BrainfmException(file.toString(), "holds " + count + " blocks, this run trains " + blocks.size());
            }
            for (Block block : blocks) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                try (DataInputStream b = new DataInputStream(new ByteArrayInputStream(bytes))) {
                    block.loadParameters(manager, b);
                }
                for (Parameter p : block.getParameters().values()) {
                    if (p.requiresGradient()) {
                        p.getArray().setRequiresGradient(true);
                    }
                }
            }
            optimizer.load(in);
            return position;
        } catch (IOException | MalformedModelException | IllegalArgumentException e) {
            throw new BrainfmException(file.toString(), "cannot read the checkpoint: " + e.getMessage(), e);
        }
    }
}
