package org.brainfm.submission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Paths an entry's manifest names, resolved inside the entry's folder and checked before anything
 * reads them: relative, inside the folder, not through a link, and of a bounded size.
 */
final class EntryFiles {
    /** Largest file read from an entry (a model, a mask, a weights file). */
    static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

    /** What a path must name. */
    enum Kind {
        FILE,
        FOLDER,
        FILE_OR_FOLDER
    }

    private EntryFiles() {}

    /**
     * {@code name} resolved in {@code entry}; null, with a problem added, when it is absolute, leaves
     * the folder, passes through a link, is missing, or is not the kind of file asked for.
     */
    static Path resolve(Path entry, String name, Kind kind, List<String> problems) {
        Path relative;
        try {
            relative = Path.of(name);
        } catch (RuntimeException e) {
            problems.add(name + ": not a file name");
            return null;
        }
        if (relative.isAbsolute() || name.startsWith("/") || name.startsWith("\\") || name.contains(":")) {
            problems.add(name + ": must be a path inside the entry folder, not an absolute one");
            return null;
        }
        Path root = entry.toAbsolutePath().normalize();
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            problems.add(name + ": leaves the entry folder");
            return null;
        }
        for (Path p = file; !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                problems.add(name + ": is or passes through a link; entries hold plain files and folders");
                return null;
            }
        }
        boolean folder = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
        boolean regular = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
        if (!folder && !regular) {
            problems.add(name + ": does not exist");
            return null;
        }
        if ((kind == Kind.FILE && !regular) || (kind == Kind.FOLDER && !folder)) {
            problems.add(name + ": is not a " + (kind == Kind.FILE ? "file" : "folder"));
            return null;
        }
        if (regular && size(file) > MAX_FILE_BYTES) {
            problems.add(name + ": " + size(file) + " bytes, more than the " + MAX_FILE_BYTES + " allowed");
            return null;
        }
        return file;
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
