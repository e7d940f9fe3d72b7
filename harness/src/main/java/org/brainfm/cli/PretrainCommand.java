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
import org.brainfm.model.card.ModelCard;
import org.brainfm.model.card.ModelCards;
import org.brainfm.model.store.ModelStore;
import org.brainfm.model.store.Provenance;
import org.brainfm.pretrain.Corpus;
import org.brainfm.pretrain.HeldOutCheck;
import org.brainfm.pretrain.Objective;
import org.brainfm.pretrain.Objectives;
import org.brainfm.recipe.PretrainSettings;
import org.brainfm.recipe.PretrainingRecipe;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.score.Registry;
import org.brainfm.tensor.Devices;
import org.brainfm.train.Checkpoint;
import org.brainfm.train.Progress;
import org.brainfm.train.Seeds;
import org.brainfm.train.TrainConfig;
import org.brainfm.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Mixin
    CardOption card;

    @Option(names = "--objective", paramLabel = "NAME", description = "mae, amaes, anatomy-split or cross-contrast-swap (default: the card's).")
    String objective;

    @Option(names = "--data", paramLabel = "NAME", description = "A dataset of the datasets file (default: its pretraining list).")
    String data;

    @Mixin
    DatasetsOption datasets;

    @Option(names = "--preset", defaultValue = "mini", paramLabel = "full|mini", description = "Network size (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the card's; " + PretrainingRecipe.MINI_EPOCHS + " at mini).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Steps per epoch (default: the card's, else 250; "
            + PretrainingRecipe.MINI_ITERATIONS + " at mini).")
    Integer iterations;

    @Option(names = "--batch", paramLabel = "N", description = "Patches per step (default: the card's; 2 at mini).")
    Integer batch;

    @Option(names = "--patch", paramLabel = "EDGE", description = "Cubic patch edge in voxels (default: the card's; "
            + PretrainingRecipe.MINI_PATCH + " at mini).")
    Integer patch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default: the card's; 3e-4 for cards trained with SGD; at mini the card's mini_lr, else "
            + PretrainingRecipe.MINI_LR + ").")
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

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path cardFile = card.file();
        ModelCard c = ModelCards.read(cardFile);
        c.preset(preset);
        String name = objective != null ? objective : c.pretraining().objective();
        if (!PretrainingRecipe.OBJECTIVES.contains(name)) {
            throw new BrainfmException(objective != null ? "--objective" : cardFile + " pretraining.objective",
                    "'" + name + "' is not implemented (have " + String.join(", ", PretrainingRecipe.OBJECTIVES) + ")");
        }
        Checks.positive("--epochs", epochs);
        Checks.positive("--iterations", iterations);
        Checks.positive("--batch", batch);
        Checks.positive("--patch", patch);
        if (lr != null) {
            Checks.positive("--lr", lr);
        }
        PretrainingRecipe recipe = PretrainingRecipe.builder(c, preset).optObjective(name).optEpochs(epochs)
                .optIterations(iterations).optBatch(batch).optPatch(patch).optLearningRate(lr).optSeed(seed).build();
        Datasets ds = datasets.load();
        List<Session> sessions = data != null ? ds.open(data).sessions() : ds.pretrainingCorpus();
        Corpus all = new Corpus(sessions);
        Corpus training = all.withoutLastSubjects(holdout);
        PretrainSettings settings = recipe.batches();
        TrainConfig config = recipe.training();
        Path dir = out != null ? out : Path.of(".brainfm", "pretrained", c.name() + "-" + name + "-" + preset + "-s" + seed);
        if (resume && !Checkpoint.exists(dir)) {
            throw new BrainfmException("--resume", "no checkpoint to resume from in " + dir);
        }
        ObjectNode json = recipe.toConfig();
        json.put("data", data != null ? data : "pretraining");
        json.put("sessions", training.sessions().size());
        json.put("holdout_subjects", holdout);
        Device dev = device.resolve();
        Hardware compute = Hardware.forRun(dev.isGpu());

        try (Records records = db.open(err); NDManager manager = Devices.manager(dev)) {
            Registry.registerCard(records, c);
            Seeds.seedEngine(seed);
            Objective o = Objectives.create(recipe, c, training);
            o.initialize(manager);
            long parameters = ModelStore.countParameters(o.model());
            ObjectNode runConfig = json.deepCopy();
            runConfig.put("resume", resume);
            runConfig.put("out", dir.toAbsolutePath().toString());
            try (ActiveRun run = records.runs().start(NewRun.pretrain(c.name(), name).withSeed(seed).withConfig(runConfig), compute)) {
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
                    run.meter().addBusy(result.stepSeconds());
                    Provenance provenance = new Provenance(c.name(), preset, "pretraining:" + name, 1, 1, records.runs().get(run.id()).map(r -> r.gitCommit()).orElse(null),
                            seed, data != null ? data : String.join("+", ds.pretraining()), config.epochs(), Long.toString(run.id()),
                            parameters, Instant.now().toString());
                    ModelStore.save(o.model(), provenance, dir);
                    Provenance encoder = new Provenance(c.name(), preset, "encoder", 0, 1, provenance.gitCommit(), seed,
                            provenance.data(), config.epochs(), provenance.runId(), ModelStore.countParameters(o.encoder()), provenance.created());
                    ModelStore.save(o.encoder(), encoder, dir.resolve("encoder"));
                    if (holdout > 0) {
                        HeldOutCheck ev = HeldOutCheck.of(o, all.lastSubjects(holdout), settings, manager, seed);
                        err.printf(Locale.ROOT, "held-out (%d subjects, %d patches): masked MSE %.4f vs mean prediction %.4f (ratio %.3f)%n",
                                holdout, ev.patches(), ev.maskedError(), ev.meanBaselineError(), ev.errorRatio());
                        if (!Double.isNaN(ev.sameSessionCosine())) {
                            err.printf(Locale.ROOT, "held-out subject codes: cosine %.4f for two contrasts of one session, %.4f for different"
                                    + " subjects; difference %.4f, permutation p %.4f%n", ev.sameSessionCosine(), ev.otherSubjectCosine(),
                                    ev.cosineDifference(), ev.permutationP());
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
}
