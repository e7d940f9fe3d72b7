package org.brainfm.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.brainfm.BrainfmException;

/**
 * One imaging session: co-registered images by contrast name, and the label files that belong
 * to it (its own folder first, then its subject's).
 *
 * @param contrasts contrast name to image file, only those present
 * @param labels    label file name (seg.nii.gz, label.txt, age.txt, tissue.nii.gz) to file
 */
public record Session(String subject, String id, Path dir, Map<String, Path> contrasts, Map<String, Path> labels) {

    public Session {
        contrasts = Map.copyOf(contrasts);
        labels = Map.copyOf(labels);
    }

    /** The image of {@code contrast}; a {@link BrainfmException} when this session lacks it. */
    public Path contrast(String contrast) {
        Path p = contrasts.get(contrast);
        if (p == null) {
            throw new BrainfmException(dir.toString(), "no " + contrast + " image in " + subject + "/" + id
                    + " (has " + String.join(", ", contrasts.keySet().stream().sorted().toList()) + ")");
        }
        return p;
    }

    public boolean has(String contrast) {
        return contrasts.containsKey(contrast);
    }

    /** The label file {@code name}; a {@link BrainfmException} when there is none. */
    public Path label(String name) {
        return findLabel(name).orElseThrow(() -> new BrainfmException(dir.toString(),
                "no " + name + " for " + subject + "/" + id + " (in the session or the subject folder)"));
    }

    public Optional<Path> findLabel(String name) {
        return Optional.ofNullable(labels.get(name));
    }
}
