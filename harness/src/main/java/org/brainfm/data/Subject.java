package org.brainfm.data;

import java.util.List;

/** A subject of a dataset and its sessions, in order (ses_1, ses_2, ...). */
public record Subject(String id, List<Session> sessions) {
    public Subject {
        sessions = List.copyOf(sessions);
    }
}
