package org.brainfm.model.card;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.brainfm.BrainfmException;
import org.brainfm.model.card.ModelCard.Preset;

/** Reads model cards from YAML and rejects any that could not build the network they describe. */
public final class ModelCards {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Map<String, String> FAMILY = Map.of(
            "compact-unet", "cnn", "resenc-unet", "cnn", "vit", "transformer", "primus", "transformer");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "compact-unet", Set.of("widths", "latent"),
            "resenc-unet", Set.of("widths", "blocks"),
            "vit", Set.of("dim", "depth", "heads", "token_patch"),
            "primus", Set.of("dim", "depth", "heads", "token_patch"));
    /** Relative tolerance between a card's stated and the built parameter count. */
    static final double PARAMETER_TOLERANCE = 0.01;

    private ModelCards() {}

    /** Every {@code *.yaml} in {@code dir}, by file name. */
    public static List<ModelCard> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BrainfmException(dir.toString(), "no such directory of model cards");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().map(ModelCards::read).toList();
        } catch (IOException e) {
            throw new BrainfmException(dir.toString(), "cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * The names of the cards in {@code dir}: its {@code *.yaml} files that read as model cards,
     * sorted; none when there is no such folder. For messages that list what may be named.
     */
    public static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") && isCard(f))
                    .map(f -> f.getFileName().toString().replaceFirst("\\.yaml$", "")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isCard(Path file) {
        try {
            read(file);
            return true;
        } catch (BrainfmException e) {
            return false;
        }
    }

    public static ModelCard read(Path file) {
        ModelCard card;
        try {
            card = YAML.readValue(file.toFile(), ModelCard.class);
        } catch (UnrecognizedPropertyException e) {
            String at = path(e);
            throw new BrainfmException(file + (at.isEmpty() ? "" : " " + at), "unknown field '" + e.getPropertyName() + "'", e);
        } catch (JsonMappingException e) {
            throw new BrainfmException(file + " " + path(e), e.getOriginalMessage().split("\n")[0], e);
        } catch (JsonProcessingException e) {
            throw new BrainfmException(file.toString(), "not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        if (card == null) {
            throw new BrainfmException(file.toString(), "empty model card");
        }
        card = card.withSource(file.toString());
        validate(card);
        return card;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    static void validate(ModelCard card) {
        String f = card.source();
        require(f, "name", card.name() != null && card.name().matches("[a-z0-9][a-z0-9.-]*"), "must be a lower-case name like vit-b16");
        require(f, "architecture", FAMILY.containsKey(card.architecture()), "must be one of " + FAMILY.keySet());
        require(f, "family", FAMILY.get(card.architecture()).equals(card.family()),
                "must be " + FAMILY.get(card.architecture()) + " for architecture " + card.architecture());
        require(f, "citation", card.citation() != null && !card.citation().isBlank(), "is required");
        require(f, "contrasts", "stacked".equals(card.contrasts()) || "shared".equals(card.contrasts()), "must be stacked or shared");
        require(f, "reference_head",
                List.of("segmentation", "encoder").contains(card.referenceHead())
                        || ("pretraining".equals(card.referenceHead()) && card.architecture().equals("compact-unet")),
                "must be segmentation or encoder (pretraining only for compact-unet)");
        require(f, "presets", card.presets() != null && card.presets().keySet().equals(Set.copyOf(ModelCard.PRESETS)),
                "must hold exactly the presets " + ModelCard.PRESETS);
        require(f, "pretraining.objective", card.pretraining() != null && card.pretraining().objective() != null, "is required");
        require(f, "finetuning", card.finetuning() != null, "is required");
        for (String name : ModelCard.PRESETS) {
            validate(card, name, card.presets().get(name));
        }
    }

    /**
     * Why a patch edge of {@code size} voxels does not fit {@code card}'s {@code preset} network,
     * or null when it does: the edge must be a whole multiple of the network's stride product (a
     * U-Net's downsamplings, a transformer's token patch) and leave a U-Net's bottleneck at least
     * 2 voxels wide.
     */
    public static String patchProblem(ModelCard card, String preset, int size) {
        Preset p = card.preset(preset);
        int reduction = card.family().equals("cnn") ? 1 << (p.widths().length - 1) : p.tokenPatch();
        return patchProblem(card.family(), reduction, size);
    }

    private static String patchProblem(String family, int reduction, int size) {
        if (size < 1 || size % reduction != 0) {
            return size + " is not divisible by the network's stride product " + reduction;
        }
        if (family.equals("cnn") && size / reduction < 2) {
            return size + " leaves a bottleneck under 2 voxels (stride product " + reduction + "), which instance norm cannot train";
        }
        return null;
    }

    private static void validate(ModelCard card, String name, Preset p) {
        String f = card.source();
        String at = "presets." + name + ".";
        require(f, at.substring(0, at.length() - 1), p != null, "is empty");
        Set<String> wanted = FIELDS.get(card.architecture());
        Map<String, Object> given = new java.util.HashMap<>();
        given.put("widths", p.widths());
        given.put("blocks", p.blocks());
        given.put("latent", p.latent());
        given.put("dim", p.dim());
        given.put("depth", p.depth());
        given.put("heads", p.heads());
        given.put("token_patch", p.tokenPatch());
        for (Map.Entry<String, Object> e : given.entrySet()) {
            boolean present = e.getValue() != null;
            require(f, at + e.getKey(), present == wanted.contains(e.getKey()),
                    present ? "does not apply to architecture " + card.architecture() : "is required for architecture " + card.architecture());
        }
        require(f, at + "mlp_ratio", p.mlpRatio() == null || (!card.family().equals("cnn") && p.mlpRatio() > 0),
                "must be positive and only for transformers");
        require(f, at + "patch", p.patch() != null && p.patch().length == 3 && all(p.patch()), "must be three positive sizes");
        int reduction;
        if (card.family().equals("cnn")) {
            require(f, at + "widths", p.widths().length >= 2 && all(p.widths()), "must be at least two positive widths");
            if (p.blocks() != null) {
                require(f, at + "blocks", p.blocks().length == p.widths().length && all(p.blocks()),
                        "must give a positive number of blocks for each of the " + p.widths().length + " stages");
            }
            if (p.latent() != null) {
                require(f, at + "latent", p.latent() > 0, "must be positive");
            }
            reduction = 1 << (p.widths().length - 1);
        } else {
            require(f, at + "dim", p.dim() > 0, "must be positive");
            require(f, at + "depth", p.depth() > 0, "must be positive");
            require(f, at + "heads", p.heads() > 0 && p.dim() % p.heads() == 0, "must divide dim " + p.dim());
            if (card.architecture().equals("primus")) {
                require(f, at + "heads", (p.dim() / p.heads()) % 6 == 0,
                        "must leave a head width divisible by 6 for 3D rotary embeddings (dim " + p.dim() + ")");
            }
            require(f, at + "token_patch", p.tokenPatch() > 0, "must be positive");
            require(f, at + "token_patch", !card.architecture().equals("primus") || Integer.bitCount(p.tokenPatch()) == 1,
                    "must be a power of two for Primus's decoder");
            reduction = p.tokenPatch();
        }
        for (int size : p.patch()) {
            String problem = patchProblem(card.family(), reduction, size);
            require(f, at + "patch", problem == null, problem);
        }
        if (p.parameters() != null) {
            long built = Models.referenceCost(card, name).parameters();
            require(f, at + "parameters", Math.abs(built - p.parameters()) <= PARAMETER_TOLERANCE * p.parameters(),
                    "states " + p.parameters() + " but the " + card.referenceHead() + " model built from this preset has " + built);
        }
    }

    private static boolean all(int[] values) {
        for (int v : values) {
            if (v <= 0) {
                return false;
            }
        }
        return values.length > 0;
    }

    private static void require(String file, String field, boolean ok, String problem) {
        if (!ok) {
            throw new BrainfmException(file + " " + field, problem);
        }
    }
}
