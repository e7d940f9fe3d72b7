package org.brainfm.data;

import java.util.Arrays;
import java.util.List;

/**
 * The contrasts the phantom renders, with their intensity tables: the mean signal of each
 * {@link Tissue} (indexed by its code) before bias field, noise and the age drift of white
 * matter. The values are relative (white matter on T1 near 850) and keep the orderings of
 * real scans: T1 WM > GM > CSF; T2 CSF > GM > WM; FLAIR with dark CSF and bright lesions;
 * DWI (b1000) with a bright acute infarct.
 */
public enum PhantomContrast {
    //          bg  csf   gm   wm  deep vent scalp skull menin infarct
    T1("t1", 0, 300, 600, 850, 680, 280, 750, 120, 900, 420),
    T2("t2", 0, 1000, 620, 450, 560, 1020, 480, 100, 720, 900),
    FLAIR("flair", 0, 120, 620, 460, 560, 100, 600, 80, 920, 980),
    DWI("dwi", 0, 150, 500, 420, 470, 140, 120, 50, 560, 1000);

    private final String id;
    private final float[] table;

    PhantomContrast(String id, float... table) {
        this.id = id;
        this.table = table;
    }

    /** The file stem and the name datasets.yaml uses: t1, t2, flair, dwi. */
    public String id() {
        return id;
    }

    /** Mean signal of a tissue class. */
    public float intensity(Tissue tissue) {
        return table[tissue.code()];
    }

    /**
     * White matter's change per year of age above 20, as a fraction: with age the grey/white
     * contrast fades (T1 white matter darkens, T2 and FLAIR white matter brighten).
     */
    double whiteMatterDriftPerYear() {
        return this == T1 ? -0.0010 : this == DWI ? 0 : 0.0015;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(PhantomContrast::id).toList();
    }

    /** The contrast with this id, or null. */
    public static PhantomContrast of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst().orElse(null);
    }
}
