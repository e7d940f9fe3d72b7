package org.brainfm.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.data.Datasets;
import org.brainfm.data.TaskSpec;
import org.brainfm.grid.GridJob;
import org.brainfm.grid.GridStatus;
import org.brainfm.grid.JobStatus;
import org.brainfm.grid.LocalWorkers;
import org.brainfm.grid.SlurmArray;
import org.brainfm.model.card.ModelCards;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm grid}: a grid of finetuning and scoring jobs, planned from the records, run here or as a Slurm job array. */
@Command(
        name = "grid",
        header = "Plans a grid of finetuning jobs and runs it here or as a Slurm job array.",
        mixinStandardHelpOptions = true,
        description = {
            "Plans one job per card x task x seed (the seeds default to each task's): a brainfm",
            "finetune --job HASH --evaluate, finetuned, checkpointed and scored onto the board; with",
            "--pending-submissions, one brainfm score --submission N per valid submission too. A job is",
            "named by the hash of its configuration (card file, preset, task, seed, init, protocol,",
            "overrides); jobs whose hash the records show done or running are left out, so planning",
            "again after a failure runs only what is missing. Prints the plan; then --run local runs",
            "the jobs here, --workers at a time, and --run slurm writes DIR/grid.sbatch (one array task",
            "per job; a task stopped by SIGTERM checkpoints and is requeued, and resumes) and submits",
            "it with sbatch. Every job writes the records itself: give them a database all nodes reach",
            "(--db jdbc:postgresql://...; docs/scale.md). --status prints each job's state from the",
            "records: done, running, interrupted or failed with the reason, not started.",
            "Exit code: 0, or 1 when a local job failed.",
        },
        footer = {"", "Example:",
            "  brainfm grid --cards compact-unet,vit-b16 --tasks infarct,meningioma --seeds 1,2,3 --run local --workers 2",
            "  brainfm grid --cards compact-unet --tasks meningioma --init 3 --db jdbc:postgresql://db.lab/brainfm \\",
            "      --run slurm --partition gpu --gres gpu:1 --time 4:00:00",
            "  brainfm grid --cards compact-unet --tasks meningioma --init 3 --db jdbc:postgresql://db.lab/brainfm --status"})
public final class GridCommand implements Callable<Integer> {
    @Option(names = "--cards", split = ",", paramLabel = "CARD[,CARD...]",
            description = "Model cards: names in --card-folder (e.g. compact-unet) or YAML files.")
    List<String> cards = new ArrayList<>();

    @Option(names = "--card-folder", defaultValue = "baselines", paramLabel = "DIR", description = "Where card names are looked up (default: ${DEFAULT-VALUE}).")
    Path cardFolder;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK[,TASK...]", description = "Tasks of the datasets file.")
    List<String> tasks = new ArrayList<>();

    @Option(names = "--seeds", split = ",", paramLabel = "S[,S...]", description = "Seeds of every task (default: each task's seeds).")
    List<Long> seeds;

    @Option(names = "--init", defaultValue = "scratch", paramLabel = "RUN|scratch",
            description = "Start from pretraining run RUN's encoder, or from scratch (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--preset", defaultValue = "mini", paramLabel = "full|mini", description = "The cards' size preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--protocol", paramLabel = "fomo25|ssl3d", description = "Whose recipe (default: each task's, else fomo25).")
    String protocol;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per fold (default: the card's).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Steps per epoch (default: the recipe's).")
    Integer iterations;

    @Option(names = "--finetune-options", paramLabel = "\"OPTIONS\"",
            description = "More brainfm finetune options for every job, one string (e.g. \"--batch 1 --folds 3\"); part of the jobs' configuration.")
    String finetuneOptions;

    @Option(names = "--pending-submissions", description = "Also score every valid submission waiting (one job each).")
    boolean pendingSubmissions;

    @Option(names = "--status", description = "Print the grid's progress from the records; run nothing.")
    boolean status;

    @Option(names = "--run", paramLabel = "local|slurm", description = "Run the planned jobs here, or submit them as a Slurm job array (default: plan only).")
    String run;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "K", description = "With --run local: jobs at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--partition", paramLabel = "P", description = "With --run slurm: sbatch's partition (default: the cluster's).")
    String partition;

    @Option(names = "--gres", paramLabel = "gpu:N", description = "With --run slurm: generic resources per job (e.g. gpu:1; default: none).")
    String gres;

    @Option(names = "--time", paramLabel = "T", description = "With --run slurm: time limit per job, as sbatch takes it (e.g. 4:00:00).")
    String time;

    @Option(names = "--brainfm", paramLabel = "COMMAND",
            description = "How a job runs brainfm, shell words (default: this project's launcher, ./brainfm, as an absolute path).")
    String brainfm;

    @Option(names = "--dir", defaultValue = ".brainfm/grid", paramLabel = "DIR", description = "Where the sbatch script and the jobs' logs go (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Mixin
    DatasetsOption datasets;

    @Mixin
    ModelsOption models;

    @Mixin
    DeviceOption device;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (run != null && !run.equals("local") && !run.equals("slurm")) {
            throw new BrainfmException("--run", "must be local or slurm, not '" + run + "'");
        }
        if (status && run != null) {
            throw new BrainfmException("--status", "prints the grid's progress; leave out --run");
        }
        Checks.positive("--workers", (Integer) workers);
        if ((cards.isEmpty() || tasks.isEmpty()) && !pendingSubmissions) {
            throw new BrainfmException("grid", "give --cards and --tasks (and --seeds), or --pending-submissions");
        }
        if (!init.equals("scratch")) {
            Checks.runId("--init", init);
        }
        List<GridJob> todo;
        try (Records records = db.open(err)) {
            List<GridJob> jobs = plan(records);
            List<JobStatus> states = GridStatus.of(records, jobs);
            print(out, states);
            if (status) {
                return 0;
            }
            todo = states.stream().filter(s -> s.state() != JobStatus.State.DONE && s.state() != JobStatus.State.RUNNING)
                    .map(JobStatus::job).toList();
            out.println(todo.size() + " of " + jobs.size() + " jobs to run" + (run == null ? " (plan only: add --run local or --run slurm)" : ""));
            out.flush();
        }
        if (todo.isEmpty() || run == null) {
            return 0;
        }
        String launcher = launcher();
        if (run.equals("slurm")) {
            Path script = dir.resolve("grid.sbatch");
            String text = SlurmArray.script(todo, launcher, new SlurmArray.Resources(partition, gres, time), dir.resolve("logs"),
                    FinetuneCommand.STOPPED_EXIT);
            String id = SlurmArray.submit(script, text, dir.resolve("logs"));
            out.println("submitted job array " + id + " (" + todo.size() + " tasks, 0-" + (todo.size() - 1) + ") from " + script
                    + "; logs in " + dir.resolve("logs") + "; progress: the same command with --status");
            out.flush();
            return 0;
        }
        if (workers > 1 && db.url().startsWith("jdbc:h2:file:") && !db.url().toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE")) {
            throw new BrainfmException("--workers " + workers, "jobs at once need records that many processes write: an H2 file"
                    + " takes one process unless its URL ends ;AUTO_SERVER=TRUE; or use PostgreSQL (docs/scale.md)");
        }
        List<Integer> codes = LocalWorkers.run(todo, Arrays.asList(launcher.trim().split("\\s+")), workers, dir.resolve("logs"), out);
        long failed = codes.stream().filter(c -> c != 0).count();
        out.println(todo.size() - failed + " of " + todo.size() + " jobs ended well" + (failed == 0 ? ""
                : "; the records say why the others did not (the same command with --status)"));
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** The grid's jobs, in card, task, seed order, then the pending submissions. */
    private List<GridJob> plan(Records records) {
        List<String> shared = new ArrayList<>(List.of("--db", db.url(), "--datasets", datasets.file.toAbsolutePath().toString(),
                "--models", models.folder().toAbsolutePath().toString()));
        List<String> finetuneShared = new ArrayList<>(shared);
        finetuneShared.addAll(List.of("--device", device.device));
        List<String> extra = finetuneOptions == null || finetuneOptions.isBlank() ? List.of()
                : Arrays.asList(finetuneOptions.trim().split("\\s+"));
        Checks.positive("--epochs", epochs);
        Checks.positive("--iterations", iterations);
        List<GridJob> jobs = new ArrayList<>();
        if (!cards.isEmpty() && !tasks.isEmpty()) {
            Datasets ds = datasets.load();
            requireDistinct("--cards", cards);
            requireDistinct("--tasks", tasks);
            if (seeds != null) {
                requireDistinct("--seeds", seeds);
            }
            for (String card : cards) {
                Path file = CardOption.file(card, cardFolder, "--cards " + card);
                String name = ModelCards.read(file).name();
                for (String task : tasks) {
                    TaskSpec spec = ds.task(task);
                    for (long seed : seeds != null ? seeds : spec.seeds()) {
                        jobs.add(GridJob.finetune(new GridJob.Finetune(file, name, preset, task, seed, init, protocol, epochs,
                                iterations, extra), finetuneShared));
                    }
                }
            }
        }
        if (pendingSubmissions) {
            records.submissions().withStatus(SubmissionStatus.VALID).forEach(s -> jobs.add(GridJob.score(s.id(), shared)));
        }
        return jobs;
    }

    private static void requireDistinct(String option, List<?> values) {
        if (new LinkedHashSet<>(values).size() != values.size()) {
            throw new BrainfmException(option, "names a value twice: " + values);
        }
    }

    /** --brainfm, else ./brainfm of the working folder as an absolute path (a job may start elsewhere). */
    private String launcher() {
        if (brainfm != null && !brainfm.isBlank()) {
            return brainfm;
        }
        Path own = Path.of("brainfm").toAbsolutePath();
        if (!Files.isExecutable(own)) {
            throw new BrainfmException("--brainfm", "no launcher " + own + ": run from the project's folder or say how jobs run"
                    + " brainfm (e.g. --brainfm /opt/brainfm/brainfm)");
        }
        return SlurmArray.commandLine(List.of(own.toString()));
    }

    private static void print(PrintWriter out, List<JobStatus> states) {
        out.println(String.format(Locale.ROOT, "%-4s %-16s %-12s %6s %5s  %s", "JOB", "HASH", "STATE", "RUN", "RUNS", "WHAT"));
        Map<JobStatus.State, Integer> counts = new EnumMap<>(JobStatus.State.class);
        for (int i = 0; i < states.size(); i++) {
            JobStatus s = states.get(i);
            counts.merge(s.state(), 1, Integer::sum);
            out.println(String.format(Locale.ROOT, "%-4d %-16s %-12s %6s %5d  %s%s", i, s.job().hash(), s.state().label(),
                    s.runId() == null ? "-" : s.runId().toString(), s.runs(), s.job().label(),
                    s.reason() == null ? "" : ": " + s.reason().replace('\n', ' ')));
        }
        StringBuilder summary = new StringBuilder(states.size() + " jobs:");
        for (JobStatus.State st : JobStatus.State.values()) {
            summary.append(' ').append(counts.getOrDefault(st, 0)).append(' ').append(st.label()).append(',');
        }
        out.println(summary.substring(0, summary.length() - 1));
        out.flush();
    }
}
