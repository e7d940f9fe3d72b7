package org.brainfm.pretrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.brainfm.BrainfmException;
import org.brainfm.data.Session;
import org.brainfm.data.Tissue;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.Volume;

/**
 * Per-subject targets of the anatomy/pathology objective, the same for every image of the
 * subject: the volumes of CSF, cortex, white matter, deep grey nuclei and ventricles divided by
 * the intracranial volume, from the tissue map of the subject's first session (as the SSL3D
 * winner used SynthSeg volumes), and whether the subject is pathological (a meningioma or
 * infarct in that map, or {@code label.txt} saying 1).
 *
 * <p>The fractions are standardised over the corpus's subjects (each component to mean 0,
 * standard deviation 1): raw fractions are all positive and nearly parallel, so a cosine to
 * them would be close to 1 for any guess and teach nothing.
 */
public final class AnatomyTargets {
    static final String TISSUE = "tissue.nii.gz";
    private static final List<Tissue> COMPONENTS = List.of(Tissue.CSF, Tissue.CORTEX, Tissue.WHITE_MATTER, Tissue.DEEP_GREY, Tissue.VENTRICLES);
    private static final List<Tissue> INTRACRANIAL = List.of(Tissue.CSF, Tissue.CORTEX, Tissue.WHITE_MATTER, Tissue.DEEP_GREY,
            Tissue.VENTRICLES, Tissue.MENINGIOMA, Tissue.INFARCT);

    /** A subject's standardised anatomy vector and pathology (1 or 0). */
    public record Target(float[] anatomy, float pathological) {}

    private final Map<String, Target> bySubject;

    private AnatomyTargets(Map<String, Target> bySubject) {
        this.bySubject = Map.copyOf(bySubject);
    }

    public static int components() {
        return COMPONENTS.size();
    }

    public static AnatomyTargets of(Corpus corpus) {
        Map<String, Session> first = new LinkedHashMap<>();
        for (Session s : corpus.sessions()) {
            first.putIfAbsent(s.subject(), s);
        }
        Map<String, double[]> fractions = new LinkedHashMap<>();
        Map<String, Float> pathology = new LinkedHashMap<>();
        for (Session s : first.values()) {
            Path file = s.findLabel(TISSUE).orElseThrow(() -> new BrainfmException(s.dir().toString(),
                    "the anatomy-split objective needs a tissue map " + TISSUE + " per subject (as SynthSeg gives); "
                            + s.subject() + "/" + s.id() + " has none"));
            Volume tissue = NiftiReader.read(file);
            long[] counts = new long[Tissue.values().length];
            for (float v : tissue.data()) {
                int code = Math.round(v);
                if (code >= 0 && code < counts.length) {
                    counts[code]++;
                }
            }
            long icv = INTRACRANIAL.stream().mapToLong(t -> counts[t.code()]).sum();
            if (icv == 0) {
                throw new BrainfmException(file.toString(), "holds no intracranial tissue (codes 1-5, 8, 9)");
            }
            double[] f = COMPONENTS.stream().mapToDouble(t -> (double) counts[t.code()] / icv).toArray();
            fractions.put(s.subject(), f);
            boolean lesion = counts[Tissue.MENINGIOMA.code()] > 0 || counts[Tissue.INFARCT.code()] > 0;
            pathology.put(s.subject(), lesion || labelSaysPathological(s) ? 1f : 0f);
        }
        int n = fractions.size();
        double[] mean = new double[components()];
        double[] sd = new double[components()];
        for (double[] f : fractions.values()) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += f[k] / n;
            }
        }
        for (double[] f : fractions.values()) {
            for (int k = 0; k < sd.length; k++) {
                sd[k] += (f[k] - mean[k]) * (f[k] - mean[k]) / n;
            }
        }
        Map<String, Target> targets = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : fractions.entrySet()) {
            float[] z = new float[components()];
            for (int k = 0; k < z.length; k++) {
                double s = Math.sqrt(sd[k]);
                z[k] = (float) (s > 0 ? (e.getValue()[k] - mean[k]) / s : 0);
            }
            targets.put(e.getKey(), new Target(z, pathology.get(e.getKey())));
        }
        return new AnatomyTargets(targets);
    }

    private static boolean labelSaysPathological(Session s) {
        Optional<Path> label = s.findLabel("label.txt");
        if (label.isEmpty()) {
            return false;
        }
        try {
            return Files.readString(label.get()).trim().equals("1");
        } catch (IOException e) {
            throw new BrainfmException(label.get().toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    public Target of(String subject) {
        Target t = bySubject.get(subject);
        if (t == null) {
            throw new IllegalArgumentException("no anatomy target for subject " + subject);
        }
        return t;
    }
}
