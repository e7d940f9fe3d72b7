package org.brainfm.records;

import java.util.ArrayList;
import java.util.List;
import org.brainfm.compute.Hardware;

/**
 * The child JVM of the crash, lock, heartbeat and many-writers tests.
 * {@code write URL ROWS}: starts a run and writes result sets of ROWS per-case rows (metric
 * {@code m<k>} in set k) in a loop, saying {@code writing k} before and {@code committed k}
 * after each, until killed. {@code hold URL}: opens the records, says {@code ready} and keeps
 * them open until its standard input closes. {@code idle URL}: starts a run, says {@code run ID}
 * and writes nothing more (only its heartbeat beats) until killed or its input closes.
 * {@code many URL WRITER RUNS SETS ROWS}: as writer number WRITER, adds entry {@code writer-WRITER}
 * and writes RUNS scoring runs on {@code infarct}, each with 5 epochs and SETS result sets of ROWS
 * rows (metric {@code m<k>}, aggregate n = ROWS), finishes them and says
 * {@code done RUNS RETRIES}. Each gives up after two minutes on its own.
 */
public final class CrashChild {
    static final int EPOCHS = 5;

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (Records records = Records.open(args[1])) {
            if (args[0].equals("hold") || args[0].equals("idle")) {
                if (args[0].equals("idle")) {
                    Fixtures.catalog(records);
                    System.out.println("run " + records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu()).id());
                } else {
                    System.out.println("ready");
                }
                System.out.flush();
                while (System.in.read() >= 0 && System.nanoTime() < deadline) {
                    // wait for the parent to close our input
                }
                return;
            }
            if (args[0].equals("many")) {
                many(records, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]));
                return;
            }
            int rows = Integer.parseInt(args[2]);
            Fixtures.catalog(records);
            ActiveRun run = records.runs().start(NewRun.finetune("unet-mini", "infarct", null), Hardware.cpu());
            System.out.println("run " + run.id());
            for (int k = 0; System.nanoTime() < deadline; k++) {
                run.logEpoch(k, k, 1.0 / (k + 1), 1e-3);
                System.out.println("writing " + k);
                System.out.flush();
                run.writeResults("infarct", batch(k, rows), List.of(new AggregateScore("m" + k, 0.5, 0.4, 0.6, rows)));
                System.out.println("committed " + k);
                System.out.flush();
            }
        }
    }

    private static void many(Records records, int writer, int runs, int sets, int rows) {
        Fixtures.catalog(records); // every writer registers the catalog too, as runs do
        long entry = records.entries().add(NewEntry.baseline("writers", "writer-" + writer, Family.CNN, "unet-mini"));
        for (int r = 0; r < runs; r++) {
            try (ActiveRun run = records.runs().start(NewRun.score(entry, "infarct").withSeed(writer), Hardware.cpu())) {
                for (int e = 0; e < EPOCHS; e++) {
                    run.logEpoch(e, e, 1.0 / (e + 1), 1e-3);
                }
                for (int k = 0; k < sets; k++) {
                    run.writeResults("infarct", batch(k, rows), List.of(new AggregateScore("m" + k, 0.5, 0.4, 0.6, rows)));
                }
                run.finish(1_000L);
            }
        }
        System.out.println("done " + runs + " " + records.retries());
        System.out.flush();
    }

    static List<CaseScore> batch(int k, int rows) {
        List<CaseScore> cases = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            cases.add(CaseScore.of("case-" + i, "m" + k, (i % 1000) / 1000.0));
        }
        return cases;
    }
}
