package org.brainfm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import picocli.CommandLine.Option;

/** The {@code --card NAME|FILE} and {@code --cards DIR} options of commands that train a card (a picocli mixin). */
public final class CardOption {
    @Option(names = "--card", required = true, paramLabel = "NAME|FILE",
            description = "A model card: its name in --cards (e.g. compact-unet), or a YAML file.")
    String card;

    @Option(names = "--cards", defaultValue = "baselines", paramLabel = "DIR", description = "Folder of model cards (default: ${DEFAULT-VALUE}).")
    Path cards;

    /** The card's file: {@code --card} itself when it names a YAML file, else {@code <cards>/<card>.yaml}. */
    public Path file() {
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

    /** The card, read and checked. */
    public ModelCard read() {
        return ModelCards.read(file());
    }
}
