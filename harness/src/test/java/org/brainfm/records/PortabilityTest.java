package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.brainfm.compute.Hardware;
import org.junit.jupiter.api.Test;

/**
 * The schema and the queries stay portable: the migrations and every repository call run in
 * H2's PostgreSQL mode with PostgreSQL's lower-case folding of unquoted names, and the
 * migrations use none of H2's own types or functions.
 */
class PortabilityTest {
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final List<String> H2_ONLY = List.of("AUTO_INCREMENT", "IDENTITY(", "CLOB", "BLOB", "TINYINT",
            "NVARCHAR", "DATETIME", "MERGE ", "RANDOM_UUID", "CURRENT_TIMESTAMP()", "ENUM(", "JAVA_OBJECT",
            "GEOMETRY", "CREATE MEMORY", "CREATE CACHED", "VARCHAR_IGNORECASE");

    @Test
    void theRepositoryWorksInH2sPostgresqlModeWithLowerCaseNames() {
        String url = "jdbc:h2:mem:portability;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (Records records = Records.open(url)) {
            Fixtures.catalog(records);
            long pretrain;
            try (ActiveRun run = records.runs().start(NewRun.pretrain("unet-mini", "mae").withSeed(1), Hardware.cpu())) {
                run.logEpoch(0, 1, 0.5, 1e-4);
                run.finish(100L);
                pretrain = run.id();
            }
            long entry = records.entries().add(NewEntry.baseline("brainfm", "U-Net", Family.CNN, "unet-mini"));
            try (ActiveRun run = records.runs().start(NewRun.score(entry, "infarct").withInit(pretrain), Hardware.cpu())) {
                run.writeResults("infarct", Fixtures.diceCases(3), List.of(new AggregateScore("dice", 0.3, 0.1, 0.5, 3)));
                run.finish(null);
            }
            assertThat(records.board().forTask("infarct")).singleElement().satisfies(row -> {
                assertThat(row.parameters()).isEqualTo(100L);
                assertThat(row.metrics()).containsKey("dice");
            });
            List<ResultRow> rows = new ArrayList<>();
            records.results().export("infarct", rows::add);
            assertThat(rows).hasSize(1 + 3);
            assertThat(records.runs().all()).extracting(RunRow::status).containsOnly(RunStatus.DONE);
            assertThat(records.runs().epochs(pretrain)).hasSize(1);
        }
    }

    @Test
    void theMigrationsUseNoH2OnlySyntax() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(MIGRATIONS)) {
            files = list.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String sql = stripComments(Files.readString(file)).toUpperCase(Locale.ROOT);
            assertThat(H2_ONLY).as(file.toString()).noneMatch(sql::contains);
            // Every migration on disk is the one Flyway finds on the class path.
            try (InputStream resource = getClass().getResourceAsStream("/db/migration/" + file.getFileName())) {
                assertThat(resource).as(file.toString()).isNotNull();
                assertThat(new String(resource.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(file));
            }
        }
    }

    private static String stripComments(String sql) {
        return sql.replaceAll("--[^\n]*", "");
    }
}
