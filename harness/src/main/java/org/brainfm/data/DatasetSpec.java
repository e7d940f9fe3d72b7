package org.brainfm.data;

import java.util.List;
import java.util.Map;

/**
 * One entry of datasets.yaml's {@code datasets}: a name, a kind, where the files are (or how the
 * phantom is made) and the contrasts its sessions hold. Validated on load: fields the kind
 * needs are present, the others absent.
 *
 * @param path      data root; relative paths are read from the directory of datasets.yaml.
 *                  Optional for {@code synthetic} (default {@code .brainfm/data/<name>})
 * @param labels    fomo only, optional: a second tree with the same sub_N/ses_M folders that
 *                  holds the label files
 * @param generator synthetic only: the phantom's settings
 * @param subjects  files only: the subjects and their files
 */
public record DatasetSpec(
        String name,
        DatasetKind kind,
        String path,
        String labels,
        List<String> contrasts,
        PhantomSettings generator,
        List<FileSubject> subjects,
        String description) {

    /** A subject of a {@code files} dataset: an id and a file per contrast (under path). */
    public record FileSubject(String id, Map<String, String> files) {}
}
