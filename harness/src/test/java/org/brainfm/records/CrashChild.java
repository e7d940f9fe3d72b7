package org.brainfm.records;

import java.util.ArrayList;
import java.util.List;
import org.brainfm.compute.Hardware;

/**
 * The child JVM of the crash and lock tests.
 * {@code write URL ROWS}: starts a run and writes result sets of ROWS per-case rows (metric
 * {@code m<k>} in set k) in a loop, saying {@code writing k} before and {@code committed k}
 * after each, until killed. {@code hold URL}: opens the records, says {@code ready} and keeps
 * them open until its standard input closes. Either gives up after two minutes on its own.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (Records records = Records.open(args[1])) {
            if (args[0].equals("hold")) {
                System.out.println("ready");
                System.out.flush();
                while (System.in.read() >= 0 && System.nanoTime() < deadline) {
                    // wait for the parent to close our input
                }
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

    static List<CaseScore> batch(int k, int rows) {
        List<CaseScore> cases = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            cases.add(CaseScore.of("case-" + i, "m" + k, (i % 1000) / 1000.0));
        }
        return cases;
    }
}
