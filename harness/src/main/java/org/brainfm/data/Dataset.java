package org.brainfm.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset of datasets.yaml opened on disk: its subjects and their sessions, contrasts and
 * label files, whatever the layout (synthetic and fomo: sub_N/ses_M; nnunet: one session per
 * case; files: one session per listed subject).
 */
public record Dataset(DatasetSpec spec, Path root, List<Subject> subjects) {
    public Dataset {
        subjects = List.copyOf(subjects);
    }

    public String name() {
        return spec.name();
    }

    /** The contrasts datasets.yaml declares; a session may lack some (see {@link Session#has}). */
    public List<String> contrasts() {
        return spec.contrasts();
    }

    /** Every session of every subject, in order: the pretraining corpus of this dataset. */
    public List<Session> sessions() {
        return subjects.stream().flatMap(s -> s.sessions().stream()).toList();
    }
}
