package org.brainfm.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.brainfm.metrics.TaskType;

/** A small catalog written through the repository, shared by the records and CLI tests. */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    public static String fileUrl(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("records").toAbsolutePath();
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Dataset {@code phantom}, tasks {@code infarct} and {@code meningioma}, cards {@code unet-mini} and {@code vit-mini}. */
    public static void catalog(Records records) {
        records.catalog().putDataset(new DatasetRow("phantom", "synthetic", "deterministic phantom",
                json("{\"subjects\": 12, \"seed\": 7}")));
        records.catalog().putTask(new TaskRow("infarct", "phantom", TaskType.CLASSIFICATION, "infarct yes/no",
                json("{\"contrasts\": [\"flair\", \"dwi\"]}")));
        records.catalog().putTask(new TaskRow("meningioma", "phantom", TaskType.SEGMENTATION, "meningioma mask",
                json("{\"contrasts\": [\"flair\"]}")));
        records.catalog().putCard(new CardRow("unet-mini", Family.CNN, "unet", "cross-contrast", json("{\"widths\": [8, 16]}")));
        records.catalog().putCard(new CardRow("vit-mini", Family.TRANSFORMER, "vit3d", "mae", json("{\"depth\": 2}")));
    }

    /** {@code n} cases {@code case-0..} with metric {@code dice} = i / n, the last flagged missing. */
    public static List<CaseScore> diceCases(int n) {
        List<CaseScore> cases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cases.add(new CaseScore("case-" + i, "dice", (double) i / n, i == n - 1 ? CaseFlag.MISSING : null));
        }
        return cases;
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A received submission of {@code team} from {@code source} (its SHA-256 made up from the source). */
    public static long submission(Records records, String team, String source) {
        String sha = sha256(source);
        return records.submissions().add(new NewSubmission(team, "entry", EntryKind.PREDICTIONS, sha, "/tmp/" + source, source,
                "{}", null, null));
    }
}
