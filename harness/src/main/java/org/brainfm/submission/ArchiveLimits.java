package org.brainfm.submission;

/**
 * How large an entry archive may be, packed and unpacked (submissions/README.md). Files and
 * folders both count as members: a million empty folders cost as much time as a million files.
 */
public record ArchiveLimits(long maxArchiveBytes, long maxUnpackedBytes, int maxFiles, long maxFileBytes) {
    public ArchiveLimits {
        if (maxArchiveBytes <= 0 || maxUnpackedBytes <= 0 || maxFiles <= 0 || maxFileBytes <= 0) {
            throw new IllegalArgumentException("archive limits must be positive, not " + maxArchiveBytes + ", "
                    + maxUnpackedBytes + ", " + maxFiles + ", " + maxFileBytes);
        }
    }

    /** 1 GiB packed; 4 GiB, 10,000 files and folders, and 512 MiB a file unpacked. */
    public static ArchiveLimits defaults() {
        return new ArchiveLimits(1L << 30, 4L << 30, 10_000, 512L << 20);
    }
}
