package org.brainfm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.brainfm.BrainfmException;
import org.brainfm.records.Records;
import org.brainfm.study.Report;
import org.brainfm.study.Study;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm report}: the CNN-vs-transformer study from the records, as Markdown and HTML. */
@Command(
        name = "report",
        header = "Writes the CNN-vs-transformer study from the records (Markdown and HTML).",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the study the seed paper reported, from our own records: per task each entry's",
            "scores with their 95 %% CIs, ranks, parameters, measured hours and the runs behind them;",
            "the best CNN minus the best transformer on every metric with a paired bootstrap CI and a",
            "paired permutation p-value (the headline metric's Holm-corrected across tasks), a verdict",
            "only where the CI excludes 0; the ratios of parameters and of measured hours (GPU-hours",
            "and CPU device-hours never mixed); what contradicts the headline; and plots of score",
            "against parameters and against hours. The same numbers as the site's /compare.",
            "Writes DIR/report.md, DIR/report.html (self-contained: inline SVG, nothing fetched)",
            "and DIR/plots/*.svg, and prints the HTML's path.",
        },
        footer = {"", "Example:", "  brainfm report", "  brainfm report --out study --db jdbc:h2:file:/data/brainfm"})
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "report", paramLabel = "DIR",
            description = "Folder to write the report into, made if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!db.exists()) {
            throw new BrainfmException(Records.location(db.url()), "no records there yet; run brainfm first,"
                    + " or point --db at them");
        }
        Path page;
        try (Records records = db.open(spec.commandLine().getErr())) {
            page = Report.write(Study.of(records), records.location(), out);
        } catch (java.io.UncheckedIOException e) {
            throw new BrainfmException("--out", e.getMessage() + " (" + e.getCause().getMessage() + ")");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(page.toAbsolutePath().normalize());
        stdout.flush();
        return 0;
    }
}
