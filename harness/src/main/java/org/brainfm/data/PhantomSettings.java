package org.brainfm.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the phantom generator makes: {@code subjects} subjects of {@code sessions} sessions on a
 * {@code size}^3 grid, from {@code seed}, rendered as the scanner {@code site} would. Subject i
 * depends only on (seed, i), never on the number of subjects; the shares are the fractions of
 * subjects with a meningioma or an infarct. In datasets.yaml every field is optional (the
 * defaults below are the CLI's).
 */
public record PhantomSettings(
        long seed, int subjects, int sessions, int size, double meningiomaShare, double infarctShare, PhantomSite site) {

    public static final int DEFAULT_SUBJECTS = 16;
    public static final int DEFAULT_SIZE = 64;
    public static final double DEFAULT_SHARE = 0.3;
    /** Field of view in mm along each axis: the voxel size is FOV / size (3 mm at 64^3). */
    public static final double FOV_MM = 192;
    static final int MIN_SIZE = 32;
    static final int MAX_SIZE = 512;
    static final int MAX_SUBJECTS = 100_000;
    static final int MAX_SESSIONS = 16;

    public PhantomSettings {
        site = site == null ? PhantomSite.DEFAULT : site;
    }

    /** Settings rendered as the default site. */
    public PhantomSettings(long seed, int subjects, int sessions, int size, double meningiomaShare, double infarctShare) {
        this(seed, subjects, sessions, size, meningiomaShare, infarctShare, PhantomSite.DEFAULT);
    }

    @JsonCreator
    static PhantomSettings fromYaml(
            @JsonProperty("seed") Long seed,
            @JsonProperty("subjects") Integer subjects,
            @JsonProperty("sessions") Integer sessions,
            @JsonProperty("size") Integer size,
            @JsonProperty("meningioma-share") Double meningiomaShare,
            @JsonProperty("infarct-share") Double infarctShare,
            @JsonProperty("site") PhantomSite site) {
        return new PhantomSettings(
                seed == null ? 0 : seed,
                subjects == null ? DEFAULT_SUBJECTS : subjects,
                sessions == null ? 1 : sessions,
                size == null ? DEFAULT_SIZE : size,
                meningiomaShare == null ? DEFAULT_SHARE : meningiomaShare,
                infarctShare == null ? DEFAULT_SHARE : infarctShare,
                site);
    }

    /** Voxel size in mm of the render grid (the site may write larger voxels). */
    public double spacing() {
        return FOV_MM / size;
    }

    /**
     * What is wrong with these settings, by field name (as in datasets.yaml: subjects, sessions,
     * size, meningioma-share, infarct-share, site.noise, ...); empty when they are fine. Callers name the field
     * their own way (the CLI as an option, the loader with its line).
     */
    public Map<String, String> problems() {
        Map<String, String> p = new LinkedHashMap<>();
        if (subjects < 1 || subjects > MAX_SUBJECTS) {
            p.put("subjects", subjects + " is not between 1 and " + MAX_SUBJECTS);
        }
        if (sessions < 1 || sessions > MAX_SESSIONS) {
            p.put("sessions", sessions + " is not between 1 and " + MAX_SESSIONS);
        }
        if (size < MIN_SIZE || size > MAX_SIZE || size % 16 != 0) {
            p.put("size", size + " is not a multiple of 16 between " + MIN_SIZE + " and " + MAX_SIZE
                    + " (networks downsample by 16)");
        }
        share(p, "meningioma-share", meningiomaShare);
        share(p, "infarct-share", infarctShare);
        if (!p.containsKey("size")) {
            site.problems(size).forEach((field, problem) -> p.put("site." + field, problem));
        }
        return p;
    }

    private static void share(Map<String, String> p, String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            p.put(field, v + " is not between 0 and 1");
        }
    }
}
