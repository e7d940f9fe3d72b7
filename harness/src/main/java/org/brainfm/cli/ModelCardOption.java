package org.brainfm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;

/** Finds a model card given by name (a YAML file in the cards folder) or by path. */
final class ModelCardOption {
    private ModelCardOption() {}

    /** The card's file: {@code card} itself when it is a file, else {@code cards/<card>.yaml}. */
    static Path file(String card, Path cards) {
        Path direct = Path.of(card);
        if (card.endsWith(".yaml") || card.endsWith(".yml")) {
            if (!Files.isRegularFile(direct)) {
                throw new BrainfmException("--card " + card, "no such file");
            }
            return direct;
        }
        Path named = cards.resolve(card + ".yaml");
        if (!Files.isRegularFile(named)) {
            String known = "none: no folder " + cards;
            if (Files.isDirectory(cards)) {
                try (Stream<Path> files = Files.list(cards)) {
                    known = String.join(", ", files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                            .map(f -> f.substring(0, f.length() - ".yaml".length())).sorted().toList());
                } catch (IOException e) {
                    known = "cannot list " + cards + ": " + e.getMessage();
                }
            }
            throw new BrainfmException("--card " + card, "no model card " + named + " (cards: " + known + ")");
        }
        return named;
    }
}
