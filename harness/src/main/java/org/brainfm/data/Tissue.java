package org.brainfm.data;

/**
 * The classes of the phantom's tissue map ({@code tissue.nii.gz}, uint8): the anatomy every
 * contrast of a session is rendered from, and the labels anatomy-aware objectives read.
 */
public enum Tissue {
    BACKGROUND(0, "background"),
    CSF(1, "csf"),
    CORTEX(2, "cortical grey matter"),
    WHITE_MATTER(3, "white matter"),
    DEEP_GREY(4, "deep grey nuclei"),
    VENTRICLES(5, "ventricles"),
    SCALP(6, "scalp"),
    SKULL(7, "skull"),
    MENINGIOMA(8, "meningioma"),
    INFARCT(9, "infarct");

    private final int code;
    private final String label;

    Tissue(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The voxel value in the tissue map; equal to {@link #ordinal()}. */
    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** Grey matter, white matter, deep nuclei or infarct: the parenchyma a lesion can replace. */
    public static boolean isParenchyma(int code) {
        return code == CORTEX.code || code == WHITE_MATTER.code || code == DEEP_GREY.code || code == INFARCT.code;
    }
}
