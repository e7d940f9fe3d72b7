package org.brainfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.brainfm.records.Records;
import org.brainfm.records.SubmissionRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brainfm submissions}: every submission with where it stands and why. */
@Command(
        name = "submissions",
        header = "Lists the submissions, where each stands and why.",
        mixinStandardHelpOptions = true,
        description = {
            "Lists every submission: id, team, entry, kind, challenge phase, status (received,",
            "valid, invalid, scoring, scored, failed) and the reasons an entry was refused or failed.",
        },
        footer = {"", "Example:", "  brainfm submissions", "  brainfm submissions --json"})
public final class SubmissionsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON object per submission, in an array.")
    boolean json;

    @Mixin
    DbOption db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<SubmissionRow> all = List.of();
        Map<Long, String> phases = new HashMap<>();
        if (db.exists()) {
            try (Records records = db.open(spec.commandLine().getErr())) {
                all = records.submissions().all();
                records.phases().all().forEach(p -> phases.put(p.id(), p.name()));
            }
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ArrayNode array = mapper.createArrayNode();
            for (SubmissionRow s : all) {
                ObjectNode o = array.addObject();
                o.put("id", s.id());
                o.put("team", s.team());
                o.put("entry", s.entryName());
                o.put("kind", s.kind() == null ? null : s.kind().id());
                o.put("status", s.status().id());
                o.put("phase", s.phaseId() == null ? null : phases.get(s.phaseId()));
                o.put("tries", s.tries());
                o.put("final", s.finalChoice());
                o.put("sha256", s.sha256());
                o.put("source", s.source());
                o.put("received", s.received().toString());
                o.put("baseline_card", s.baselineCard());
                ArrayNode reasons = o.putArray("reasons");
                s.reasons().forEach(reasons::add);
            }
            out.println(mapper.writeValueAsString(array));
        } else if (all.isEmpty()) {
            out.println("no submissions in " + Records.location(db.url()));
        } else {
            out.println(String.format("%-5s %-24s %-28s %-12s %-12s %-8s %s", "ID", "TEAM", "ENTRY", "KIND", "PHASE", "STATUS", "REASONS"));
            for (SubmissionRow s : all) {
                out.println(String.format("%-5d %-24s %-28s %-12s %-12s %-8s %s", s.id(), cut(s.team(), 24), cut(s.entryName(), 28),
                        s.kind() == null ? "-" : s.kind().id(), s.phaseId() == null ? "-" : cut(phases.get(s.phaseId()), 12),
                        s.status().id(), s.reasons().isEmpty() ? "-"
                                : s.reasons().size() + (s.reasons().size() == 1 ? " reason" : " reasons")));
                s.reasons().forEach(r -> out.println("      - " + r));
            }
        }
        out.flush();
        return 0;
    }


    private static String cut(String s, int width) {
        if (s == null) {
            return "-";
        }
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
