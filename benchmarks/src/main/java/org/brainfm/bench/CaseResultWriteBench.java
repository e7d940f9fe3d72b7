package org.brainfm.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.brainfm.compute.Hardware;
import org.brainfm.metrics.TaskType;
import org.brainfm.records.ActiveRun;
import org.brainfm.records.AggregateScore;
import org.brainfm.records.CardRow;
import org.brainfm.records.CaseFlag;
import org.brainfm.records.CaseScore;
import org.brainfm.records.DatasetRow;
import org.brainfm.records.Family;
import org.brainfm.records.NewRun;
import org.brainfm.records.Records;
import org.brainfm.records.TaskRow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing one run's per-case results: {@code rows} case scores (plus one aggregate) in one
 * result set, one transaction, into an H2 file through the repository, crash-safe settings
 * included (each commit goes to the file at once). Rows per second = rows / (time per op).
 * Run: {@code scripts/bench CaseResultWrite}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class CaseResultWriteBench {
    @Param("100000")
    int rows;

    private Path dir;
    private Records records;
    private List<CaseScore> cases;
    private ActiveRun run;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("brainfm-bench");
        records = Records.open("jdbc:h2:file:" + dir.resolve("records"));
        var empty = JsonNodeFactory.instance.objectNode();
        records.catalog().putDataset(new DatasetRow("phantom", "synthetic", null, empty));
        records.catalog().putTask(new TaskRow("meningioma", "phantom", TaskType.SEGMENTATION, null, empty));
        records.catalog().putCard(new CardRow("unet", Family.CNN, "unet", null, empty));
        cases = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            // Two metrics per case, as a segmentation task has (Dice and NSD); one case in a hundred missing.
            String caseId = "sub_" + (i / 2);
            CaseFlag flag = (i / 2) % 100 == 0 ? CaseFlag.MISSING : null;
            cases.add(new CaseScore(caseId, i % 2 == 0 ? "dice" : "nsd", flag == null ? (i % 997) / 997.0 : 0.0, flag));
        }
    }

    @Setup(Level.Invocation)
    public void startRun() {
        run = records.runs().start(NewRun.finetune("unet", "meningioma", null), Hardware.cpu());
    }

    @Benchmark
    public void writeOneResultSet() {
        run.writeResults("meningioma", cases, List.of(new AggregateScore("dice", 0.5, 0.45, 0.55, rows / 2)));
    }

    @TearDown(Level.Invocation)
    public void finishRun() {
        run.finish(null);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        records.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
