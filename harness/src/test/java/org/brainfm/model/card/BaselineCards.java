package org.brainfm.model.card;

import java.nio.file.Path;
import java.util.List;

/** The project's own model cards (baselines/), for tests that build their networks. */
public final class BaselineCards {
    public static final Path FOLDER = Path.of("..", "baselines");
    public static final List<String> NAMES = List.of("compact-unet", "resenc-l", "vit-b16", "vit-l16", "primus-m");

    private BaselineCards() {}

    public static ModelCard card(String name) {
        return ModelCards.read(FOLDER.resolve(name + ".yaml"));
    }
}
