package org.brainfm.pretrain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.brainfm.BrainfmException;
import org.brainfm.data.Session;
import org.brainfm.volume.Channels;
import org.brainfm.volume.NiftiReader;
import org.brainfm.volume.PatchSampler;
import org.brainfm.volume.Reorient;
import org.brainfm.volume.Volume;
import org.brainfm.volume.VolumeOp;
import org.brainfm.volume.ZScore;

/**
 * The pretraining corpus: every contrast of every session of some datasets (no labels), read
 * as RAS and z-scored over the non-zero voxels, and random patches from it centred on the head
 * (a voxel that is not 0). Recently used volumes and their samplers are kept in memory (a
 * bounded cache), so a patch costs a NIfTI read only now and then.
 */
public final class Corpus {
    /** Volumes (with their samplers) kept in memory; about 2 MB each at 64^3. */
    private static final int CACHE = 96;
    private static final VolumeOp PREPROCESS = Reorient.toRas().then(ZScore.nonzero());

    private final List<Session> sessions;
    private final List<String> subjects;
    private final Map<String, PatchSampler> samplers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PatchSampler> eldest) {
            return size() > CACHE;
        }
    };

    public Corpus(List<Session> sessions) {
        if (sessions.isEmpty()) {
            throw new BrainfmException("pretraining corpus", "no sessions to pretrain on");
        }
        this.sessions = List.copyOf(sessions);
        List<String> ids = new ArrayList<>();
        for (Session s : sessions) {
            if (s.contrasts().isEmpty()) {
                throw new BrainfmException(s.dir().toString(), "session " + s.subject() + "/" + s.id() + " has no images");
            }
            if (!ids.contains(s.subject())) {
                ids.add(s.subject());
            }
        }
        this.subjects = List.copyOf(ids);
    }

    public List<Session> sessions() {
        return sessions;
    }

    /** Subject ids in corpus order. */
    public List<String> subjects() {
        return subjects;
    }

    /** The corpus without its last {@code count} subjects (those are {@link #lastSubjects}). */
    public Corpus withoutLastSubjects(int count) {
        return bySubjects(subjects.subList(0, subjects.size() - check(count)));
    }

    /** The corpus of its last {@code count} subjects only: held out from pretraining. */
    public Corpus lastSubjects(int count) {
        return bySubjects(subjects.subList(subjects.size() - check(count), subjects.size()));
    }

    private int check(int count) {
        if (count < 0 || count >= subjects.size()) {
            throw new BrainfmException("--holdout", "must leave at least one of the " + subjects.size()
                    + " subjects to train on, not hold out " + count);
        }
        return count;
    }

    private Corpus bySubjects(List<String> keep) {
        return new Corpus(sessions.stream().filter(s -> keep.contains(s.subject())).toList());
    }

    /** One drawn patch: where from, and the image (contrasts as channels, x fastest). */
    public record Patch(Session session, List<String> contrasts, float[] image, int[] size) {
        public int channels() {
            return contrasts.size();
        }
    }

    /** A patch of one random contrast of a random session. */
    public Patch single(RandomGenerator random, int[] size) {
        Session s = sessions.get(random.nextInt(sessions.size()));
        List<String> names = sorted(s);
        String contrast = names.get(random.nextInt(names.size()));
        return draw(s, List.of(contrast), size, random);
    }

    /** Two different contrasts of one random session (with at least two), one shared crop. */
    public Patch pair(RandomGenerator random, int[] size) {
        List<Session> multi = sessions.stream().filter(s -> s.contrasts().size() >= 2).toList();
        if (multi.isEmpty()) {
            throw new BrainfmException("pretraining corpus", "the cross-contrast objective needs sessions with two "
                    + "or more contrasts; none has (first: " + sessions.get(0).dir() + ")");
        }
        Session s = multi.get(random.nextInt(multi.size()));
        List<String> names = new ArrayList<>(sorted(s));
        String a = names.remove(random.nextInt(names.size()));
        String b = names.get(random.nextInt(names.size()));
        return draw(s, List.of(a, b), size, random);
    }

    /** The patch of {@code contrasts} of session {@code s} centred on the grid's centre (evaluation). */
    public Patch centre(Session s, List<String> contrasts, int[] size) {
        PatchSampler sampler = sampler(s, contrasts, size);
        Volume v = volume(s, contrasts.get(0));
        PatchSampler.Patch p = sampler.at(v.nx() / 2, v.ny() / 2, v.nz() / 2);
        return new Patch(s, contrasts, p.image(), size.clone());
    }

    private Patch draw(Session s, List<String> contrasts, int[] size, RandomGenerator random) {
        PatchSampler.Patch p = sampler(s, contrasts, size).sample(random);
        return new Patch(s, contrasts, p.image(), size.clone());
    }

    private static List<String> sorted(Session s) {
        List<String> names = new ArrayList<>(s.contrasts().keySet());
        Collections.sort(names);
        return names;
    }

    private synchronized PatchSampler sampler(Session s, List<String> contrasts, int[] size) {
        String key = s.dir() + "|" + String.join(",", contrasts) + "|" + size[0] + "x" + size[1] + "x" + size[2];
        PatchSampler cached = samplers.get(key);
        if (cached != null) {
            return cached;
        }
        Volume[] volumes = contrasts.stream().map(c -> volume(s, c)).toArray(Volume[]::new);
        Volume image;
        try {
            image = volumes.length == 1 ? volumes[0] : Channels.stack(volumes);
        } catch (IllegalArgumentException e) {
            throw new BrainfmException(s.dir().toString(), "contrasts " + contrasts + " are not co-registered: " + e.getMessage(), e);
        }
        float[] head = new float[volumes[0].data().length];
        for (Volume v : volumes) {
            float[] d = v.data();
            for (int i = 0; i < head.length; i++) {
                if (d[i] != 0) {
                    head[i] = 1;
                }
            }
        }
        Volume mask = volumes[0].withData(head);
        PatchSampler sampler = new PatchSampler(image, mask, size, 1.0, 0f);
        samplers.put(key, sampler);
        return sampler;
    }

    /** One contrast of a session, RAS, z-scored over its non-zero voxels. */
    public Volume volume(Session s, String contrast) {
        Volume v = NiftiReader.read(s.contrast(contrast));
        if (v.shape().length != 3 && v.nt() != 1) {
            throw new BrainfmException(s.contrast(contrast).toString(), "a 3D image was expected, found " + v.nt() + " frames");
        }
        return PREPROCESS.apply(v.shape().length == 3 ? v : Channels.frame(v, 0));
    }
}
