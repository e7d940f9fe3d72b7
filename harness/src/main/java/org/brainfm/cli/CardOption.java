package org.brainfm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.brainfm.BrainfmException;
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code --card NAME|FILE} and {@code --cards DIR} options of commands that train a card (a picocli mixin). */
public final class CardOption {
    @Option(names = "--card", required = true, paramLabel = "NAME|FILE",
            description = "A model card: its name in --cards (e.g. compact-unet), or a YAML file.")
    String card;

    @Mixin
    CardsOption cards = new CardsOption();

    /** The card's file: {@code --card} itself when it names a YAML file, else {@code <cards>/<card>.yaml}. */
    public Path file() {
        Path direct = Path.of(card);
        if (card.endsWith(".yaml") || card.endsWith(".yml")) {
            if (!Files.isRegularFile(direct)) {
                throw new BrainfmException("--card " + card, "no such file");
            }
            return direct;
        }
        Path named = cards.folder().resolve(card + ".yaml");
        if (!Files.isRegularFile(named)) {
            List<String> known = ModelCards.names(cards.folder());
            throw new BrainfmException("--card " + card, "no model card " + named + " (cards: "
                    + (known.isEmpty() ? "none in " + cards.folder() : String.join(", ", known)) + ")");
        }
        return named;
    }

    /** The card, read and checked. */
    public ModelCard read() {
        return ModelCards.read(file());
    }
}
