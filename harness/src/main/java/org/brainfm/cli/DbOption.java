package org.brainfm.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.brainfm.records.Records;
import picocli.CommandLine.Option;

/** The {@code --db} option every command that reads or writes the records shares (a picocli mixin). */
public final class DbOption {
    @Option(names = "--db", paramLabel = "JDBC-URL",
            description = "The records database (default: $BRAINFM_DB, else the H2 file "
                    + ".brainfm/brainfm under the working folder, i.e. jdbc:h2:file:./.brainfm/brainfm).")
    String url;

    /** The URL in force: --db, else BRAINFM_DB, else the default H2 file under the working folder. */
    public String url() {
        return Records.resolveUrl(url, System.getenv("BRAINFM_DB"), Path.of(""));
    }

    /** False when the URL names an H2 file that does not exist yet. */
    public boolean exists() {
        return Records.exists(url());
    }

    /** Opens the records, telling {@code err} about runs found abandoned by their process. */
    public Records open(PrintWriter err) {
        Records records = Records.open(url());
        for (long id : records.interruptedOnOpen()) {
            err.println("brainfm: run " + id + " was marked interrupted: its process is gone");
        }
        err.flush();
        return records;
    }
}
