package org.brainfm.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.brainfm.DebianPython;

/**
 * The independent reference: scipy and sklearn under {@link DebianPython}, fed raw mask
 * files and a JSON request, answering in JSON (reference.py beside this class).
 */
final class ScipyOracle {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final ObjectNode request = JSON.createObjectNode();
    private int files;

    ScipyOracle(Path dir) {
        this.dir = dir;
    }

    void segmentation(boolean[] pred, boolean[] ref, DistanceGrid grid, double toleranceMm) throws IOException {
        ObjectNode c = request.withArray("segmentation").addObject();
        c.putPOJO("shape", grid.shape());
        c.putPOJO("spacing", grid.spacing());
        c.put("tolerance", toleranceMm);
        c.put("pred", write(pred).toString());
        c.put("ref", write(ref).toString());
    }

    /** Label maps (values 0..classes) scored class by class, and the mean over classes. */
    void multiclass(byte[] pred, byte[] ref, int classes, DistanceGrid grid, double toleranceMm) throws IOException {
        ObjectNode c = request.withArray("multiclass").addObject();
        c.putPOJO("shape", grid.shape());
        c.putPOJO("spacing", grid.spacing());
        c.put("tolerance", toleranceMm);
        c.put("classes", classes);
        c.put("pred", write(pred).toString());
        c.put("ref", write(ref).toString());
    }

    void classification(double[] scores, double[] labels) {
        ObjectNode c = request.withArray("classification").addObject();
        c.putPOJO("scores", scores);
        c.putPOJO("labels", labels);
    }

    void regression(double[] predicted, double[] truth) {
        ObjectNode c = request.withArray("regression").addObject();
        c.putPOJO("predicted", predicted);
        c.putPOJO("truth", truth);
    }

    /** Runs the reference on everything added; results per kind, in the order added. */
    JsonNode run() throws IOException {
        Path req = dir.resolve("request.json");
        Path resp = dir.resolve("response.json");
        JSON.writeValue(req.toFile(), request);
        DebianPython.run(dir, 300, List.of(script().toString(), "score", req.toString(), resp.toString()));
        return JSON.readTree(resp.toFile());
    }

    static Path script() {
        try {
            return Path.of(ScipyOracle.class.getResource("reference.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path write(boolean[] mask) throws IOException {
        byte[] b = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            b[i] = (byte) (mask[i] ? 1 : 0);
        }
        return write(b);
    }

    private Path write(byte[] b) throws IOException {
        Path f = dir.resolve("mask" + files++ + ".raw");
        Files.write(f, b);
        return f;
    }
}
