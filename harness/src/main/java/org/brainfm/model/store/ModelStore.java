package org.brainfm.model.store;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.brainfm.BrainfmException;

/**
 * Saves a model's parameters (DJL's format) as {@code parameters.bin} in a directory, with
 * {@code provenance.json} beside them; loads them back into a model built from the same card,
 * preset and head.
 */
public final class ModelStore {
    public static final String PARAMETERS = "parameters.bin";
    public static final String PROVENANCE = "provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() {}

    public static void save(Block model, Provenance provenance, Path dir) {
        try {
            Files.createDirectories(dir);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(PARAMETERS))))) {
                model.saveParameters(out);
            }
            JSON.writeValue(dir.resolve(PROVENANCE).toFile(), provenance);
        } catch (IOException e) {
            throw new BrainfmException(dir.toString(), "cannot save the model: " + e.getMessage(), e);
        }
    }

    public static Provenance provenance(Path dir) {
        Path file = dir.resolve(PROVENANCE);
        try {
            return JSON.readValue(file.toFile(), Provenance.class);
        } catch (IOException e) {
            throw new BrainfmException(file.toString(), "cannot read provenance: " + e.getMessage(), e);
        }
    }

    /** Loads parameters into {@code model}, which must have the architecture they were saved from. */
    public static void load(Block model, NDManager manager, Path dir) {
        Path file = dir.resolve(PARAMETERS);
        Provenance provenance = provenance(dir);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            model.loadParameters(manager, in);
        } catch (IOException | MalformedModelException | IllegalArgumentException e) {
            throw new BrainfmException(file.toString(), "does not fit this model (saved from card " + provenance.card()
                    + ", preset " + provenance.preset() + ", head " + provenance.head() + "): " + e.getMessage(), e);
        }
        long count = countParameters(model);
        if (count != provenance.parameters()) {
            throw new BrainfmException(file.toString(), "holds " + count + " parameters, provenance says " + provenance.parameters());
        }
    }

    /** Parameters counted on an initialised block. */
    public static long countParameters(Block model) {
        return model.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
