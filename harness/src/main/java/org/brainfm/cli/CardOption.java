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
        return file(card, cards.folder(), "--card " + card);
    }

    /** A card's file: {@code card} itself when it names a YAML file, else {@code <folder>/<card>.yaml}; {@code what} names it in errors. */
    static Path file(String card, Path folder, String what) {
        Path direct = Path.of(card);
        if (card.endsWith(".yaml") || card.endsWith(".yml")) {
            if (!Files.isRegularFile(direct)) {
                throw new BrainfmException(what, "no such file");
            }
            return direct;
        }
        Path named = folder.resolve(card + ".yaml");
        if (!Files.isRegularFile(named)) {
            List<String> known = ModelCards.names(folder);
            throw new BrainfmException(what, "no model card " + named + " (cards: "
                    + (known.isEmpty() ? "none in " + folder : String.join(", ", known)) + ")");
        }
        return named;
    }

    /** The card, read and checked. */
    public ModelCard read() {
        return ModelCards.read(file());
    }
}
