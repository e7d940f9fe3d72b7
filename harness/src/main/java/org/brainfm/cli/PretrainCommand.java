package org.brainfm.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Hardware;
import org.brainfm.data.Datasets;
import org.brainfm.data.Session;
import org.brainfm.model.Devices;
import org.brainfm.model.ModelCard;
import org.brainfm.model.ModelCards;
import org.brainfm.model.ModelStore;
import org.brainfm.model.Provenance;
import org.brainfm.pretrain.Corpus;
import org.brainfm.pretrain.Evaluation;
import org.brainfm.pretrain.Objective;
import org.brainfm.pretrain.Objectives;
import org.brainfm.pretrain.PretrainSettings;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.CardDef;
import org.brainfm.records.Family;
import org.brainfm.records.Records;
import org.brainfm.records.RunSpec;
import org.brainfm.train.Checkpoint;
import org.brainfm.train.Progress;
import org.brainfm.train.Seeds;
import org.brainfm.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import org.brainfm.train.Trainer;

/** {@code brainfm pretrain}: self-supervised pretraining of a model card, recorded as a run. */
@Command(
        name = "pretrain",
        header = "Pretrains a model card with a self-supervised objective.",
        mixinStandardHelpOptions = true,
        description = {
            "Pretrains a model card's network on a pretraining corpus with a self-supervised",
            "objective (mae, amaes, anatomy-split, cross-contrast-swap; default: the card's),",
            "AdamW with warmup and cosine decay, a checkpoint each epoch (--resume continues it),",
            "and records the run (per-epoch losses, compute). Writes parameters.bin and",
            "provenance.json (and encoder/ for finetuning) to --out; prints the run id on stdout.",
            "At --preset mini: 32^3 patches, batch 2, 10 epochs of --iterations steps, about a",
            "minute an epoch on two CPU cores.",
        },
        footer = {"", "Example:",
            "  brainfm pretrain --card baselines/compact-unet.yaml --preset mini --epochs 3",
            "  brainfm pretrain --card baselines/vit-b16.yaml --objective mae --data synthetic --holdout 4"})
public final class PretrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--card", required = true, paramLabel = "FILE", description = "The model card (baselines/*.yaml).")
    Path card;

    @Option(names = "--objective", paramLabel = "NAME", description = "mae, amaes, anatomy-split or cross-contrast-swap (default: the card's).")
    String objective;

    @Option(names = "--data", paramLabel = "NAME", description = "A dataset of the datasets file (default: its pretraining list).")
    String data;

    @Mixin
    DatasetsOption datasets;

    @Option(names = "--preset", defaultValue = "mini", paramLabel = "full|mini", description = "Network size (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the card's; 10 at mini).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Steps per epoch (default: the card's, else 250; 48 at mini).")
    Integer iterations;

    @Option(names = "--batch", paramLabel = "N", description = "Patches per step (default: the card's; 2 at mini).")
    Integer batch;

    @Option(names = "--patch", paramLabel = "EDGE", description = "Cubic patch edge in voxels (default: the card's; 32 at mini).")
    Integer patch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: the card's; 3e-4 for cards trained with SGD; at mini the card's mini_lr, else 2e-3).")
    Double lr;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "The one seed of the run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--holdout", defaultValue = "0", paramLabel = "N", description = "Hold out the last N subjects and report the "
            + "masked reconstruction error (and subject-code cosines) on them at the end (default: ${DEFAULT-VALUE}).")
    int holdout;

    @Option(names = "--out", paramLabel = "DIR", description = "Where weights and checkpoint go (default: .brainfm/pretrained/CARD-OBJECTIVE-PRESET-sSEED).")
    Path out;

    @Option(names = "--resume", description = "Continue from the checkpoint in --out (same options).")
    boolean resume;

    @Mixin
    DeviceOption device;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    /** Steps per mini epoch: about half a minute for the U-Net on two cores. */
    static final int MINI_ITERATIONS = 48;
    /** Peak learning rate at mini scale for cards without a mini_lr (the U-Nets; docs/pretrain.md). */
    static final double MINI_LR = 2e-3;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelCard c = ModelCards.read(card);
        c.preset(preset);
        String name = objective != null ? objective : c.pretraining().objective();
        if (!Objectives.NAMES.contains(name)) {
            throw new BrainfmException(objective != null ? "--objective" : card + " pretraining.objective",
                    "'" + name + "' is not implemented (have " + String.join(", ", Objectives.NAMES) + ")");
        }
        positive("--epochs", epochs);
        positive("--iterations", iterations);
        positive("--batch", batch);
        positive("--patch", patch);
        if (lr != null && !(lr > 0)) {
            throw new BrainfmException("--lr", "must be positive, not " + lr);
        }
        Datasets ds = datasets.load();
        List<Session> sessions = data != null ? ds.open(data).sessions() : ds.pretrainingCorpus();
        Corpus all = new Corpus(sessions);
        Corpus training = all.withoutLastSubjects(holdout);
        PretrainSettings settings = Objectives.settings(name, c, preset, patch, batch);
        TrainConfig config = trainConfig(c);
        Path dir = out != null ? out : Path.of(".brainfm", "pretrained", c.name() + "-" + name + "-" + preset + "-s" + seed);
        if (resume && !Checkpoint.exists(dir)) {
            throw new BrainfmException("--resume", "no checkpoint to resume from in " + dir);
        }
        ObjectNode json = configJson(c, name, settings, config, training);
        Device dev = device.resolve();
        Hardware compute = Hardware.forRun(dev.isGpu());

        try (Records records = db.open(err); NDManager manager = Devices.manager(dev)) {
            records.putCard(new CardDef(c.name(), Family.valueOf(c.family().toUpperCase(Locale.ROOT)), c.architecture(),
                    c.pretraining().objective(), JSON.valueToTree(c)));
            Seeds.seedEngine(seed);
            Objective o = Objectives.create(name, c, preset, training, settings);
            o.initialize(manager);
            long parameters = ModelStore.countParameters(o.model());
            ObjectNode runConfig = json.deepCopy();
            runConfig.put("resume", resume);
            runConfig.put("out", dir.toAbsolutePath().toString());
            try (ActiveRun run = records.startRun(RunSpec.pretrain(c.name(), name).withSeed(seed).withConfig(runConfig), compute)) {
                try {
                    err.printf(Locale.ROOT, "pretraining %s (%s, %,d parameters) with %s on %d sessions of %d subjects, %s; run %d%n",
                            c.name(), preset, parameters, name, training.sessions().size(), training.subjects().size(), dev, run.id());
                    Trainer trainer = new Trainer(config, o.blocks(), o, manager)
                            .checkpoints(dir, JSON.writeValueAsString(json).replaceAll("\\s+", ""))
                            .progress(new Progress(err, System.console() != null, 15))
                            .onEpoch(e -> {
                                run.logEpoch(e.epoch(), e.step(), e.loss(), e.learningRate());
                                run.meter().sample();
                                StringBuilder terms = new StringBuilder();
                                e.terms().forEach((k, v) -> terms.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
                                // the Java heap beside the resident set: what the resident set holds beyond the
                                // committed heap is native (libtorch), where a leak of DJL arrays would show
                                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                                err.printf(Locale.ROOT, "epoch %d/%d loss %.4f%s lr %.3g %.1f s %.0f vox/s rss %d MB heap %d/%d MB%n", e.epoch(),
                                        config.epochs(), e.loss(), terms, e.learningRate(), e.seconds(), e.voxelsPerSecond(), e.residentBytes() >> 20,
                                        heap.getUsed() >> 20, heap.getCommitted() >> 20);
                                err.flush();
                            });
                    Trainer.Result result = trainer.fit(resume);
                    Provenance provenance = new Provenance(c.name(), preset, "pretraining:" + name, 1, 1, records.run(run.id()).map(r -> r.gitCommit()).orElse(null),
                            seed, data != null ? data : String.join("+", ds.pretraining()), config.epochs(), Long.toString(run.id()),
                            parameters, Instant.now().toString());
                    ModelStore.save(o.model(), provenance, dir);
                    Provenance encoder = new Provenance(c.name(), preset, "encoder", 0, 1, provenance.gitCommit(), seed,
                            provenance.data(), config.epochs(), provenance.runId(), ModelStore.countParameters(o.encoder()), provenance.created());
                    ModelStore.save(o.encoder(), encoder, dir.resolve("encoder"));
                    if (holdout > 0) {
                        Evaluation ev = Evaluation.of(o, all.lastSubjects(holdout), settings, manager, seed);
                        err.printf(Locale.ROOT, "held-out (%d subjects, %d patches): masked MSE %.4f vs mean prediction %.4f (ratio %.3f)%n",
                                holdout, ev.patches(), ev.maskedError(), ev.meanBaselineError(), ev.errorRatio());
                        if (!Double.isNaN(ev.sameSessionCosine())) {
                            err.printf(Locale.ROOT, "held-out subject codes: cosine %.4f for two contrasts of one session, %.4f for different subjects;"
                                    + " centred (less the mean code) %.4f and %.4f%n",
                                    ev.sameSessionCosine(), ev.otherSubjectCosine(), ev.sameSessionCentred(), ev.otherSubjectCentred());
                        }
                        JSON.writeValue(dir.resolve("evaluation.json").toFile(), ev);
                    }
                    org.brainfm.compute.Usage usage = run.finish(parameters);
                    err.printf(Locale.ROOT, "done: %d epochs (from %d) in %.1f s wall, %.1f device-seconds, %d steps skipped as not finite; weights in %s%n",
                            result.epochs().size(), result.firstEpoch(), usage.wallSeconds(), usage.deviceSeconds(), result.skippedSteps(), dir);
                } catch (RuntimeException | Error e) {
                    run.fail(e.getMessage() == null ? e.toString() : e.getMessage(), parameters);
                    throw e;
                }
                err.flush();
                stdout.println(run.id());
                stdout.flush();
            }
        }
        return 0;
    }

    private TrainConfig trainConfig(ModelCard c) {
        ModelCard.Pretraining r = c.pretraining();
        boolean mini = preset.equals("mini");
        int cardEpochs = r.epochs() != null ? r.epochs() : 100;
        int e = epochs != null ? epochs : mini ? 10 : cardEpochs;
        int it = iterations != null ? iterations : mini ? MINI_ITERATIONS : r.iterationsPerEpoch() != null ? r.iterationsPerEpoch() : 250;
        int warmup = r.warmupEpochs() == null ? 0 : Math.min(e, Math.max(1, (int) Math.round((double) r.warmupEpochs() * e / cardEpochs)));
        boolean adamw = "adamw".equals(r.optimizer());
        // The mini networks see a few hundred steps in all: the full recipes' rates barely move them.
        double rate = lr != null ? lr : mini ? (r.miniLr() != null ? r.miniLr() : MINI_LR) : adamw && r.lr() != null ? r.lr() : 3e-4;
        double decay = adamw && r.weightDecay() != null ? r.weightDecay() : 1e-2;
        double clip = r.gradClip() != null ? r.gradClip() : 1.0;
        return new TrainConfig(e, it, rate, rate * 1e-2, decay, warmup, clip, seed);
    }

    private ObjectNode configJson(ModelCard c, String name, PretrainSettings s, TrainConfig t, Corpus training) {
        ObjectNode o = JSON.createObjectNode();
        o.put("card", c.name());
        o.put("preset", preset);
        o.put("objective", name);
        o.put("data", data != null ? data : "pretraining");
        o.put("sessions", training.sessions().size());
        o.put("holdout_subjects", holdout);
        o.put("epochs", t.epochs());
        o.put("iterations_per_epoch", t.iterationsPerEpoch());
        o.put("batch", s.batch());
        o.put("patch", s.patch()[0]);
        o.put("mask_ratio", s.maskLow() == s.maskHigh() ? s.maskLow() + "" : s.maskLow() + "-" + s.maskHigh());
        o.put("mask_unit", s.maskUnit());
        o.put("lr", t.learningRate());
        o.put("min_lr", t.minLearningRate());
        o.put("weight_decay", t.weightDecay());
        o.put("warmup_epochs", t.warmupEpochs());
        o.put("grad_clip", t.gradientClip());
        o.put("seed", seed);
        o.set("loss_weights", JSON.valueToTree(s.weights()));
        return o;
    }

    private static void positive(String option, Integer value) {
        if (value != null && value < 1) {
            throw new BrainfmException(option, "must be at least 1, not " + value);
        }
    }
}
