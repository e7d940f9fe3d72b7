package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brainfm.records.Fixtures.catalog;
import static org.brainfm.records.Fixtures.fileUrl;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Hardware;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Opening records that cannot be used: one-line errors naming the file (or the server by host,
 * port and database, never a password), and the database left as it was.
 */
class DatabaseErrorsTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aSchemaFromANewerBrainfmIsRefusedAndKept(Backend backend) throws Exception {
        String url = databases.url(backend, dir);
        writeOneRun(url);
        TestDb.flyway(url).locations("classpath:db/migration", "classpath:db/future").load().migrate();

        assertThatThrownBy(() -> Records.open(url))
                .isInstanceOf(BrainfmException.class)
                .satisfies(e -> {
                    BrainfmException b = (BrainfmException) e;
                    assertThat(b.what()).isEqualTo(backend == Backend.H2 ? file().toString() : url);
                    assertThat(b.problem()).isEqualTo("was written by a newer brainfm (schema version 99 > 8);"
                            + " upgrade brainfm or use another --db");
                });
        var info = TestDb.flyway(url).locations("classpath:db/migration", "classpath:db/future").load().info();
        assertThat(info.current().getVersion().getVersion()).isEqualTo("99");
        TestDb.with(url, db -> assertThat(db.fetchCount(org.brainfm.records.db.Tables.CASE_RESULT)).isEqualTo(100));
    }

    @Test
    void aFileInUseByAnotherProcessIsNamedWithWhatToDo() throws Exception {
        String url = fileUrl(dir);
        writeOneRun(url);
        try (ChildJvm holder = new ChildJvm(dir.resolve("holder.log"), "hold", url)) {
            assertThat(holder.nextLine()).isEqualTo("ready");
            assertThatThrownBy(() -> Records.open(url))
                    .isInstanceOf(BrainfmException.class)
                    .hasMessage(file() + ": is in use by another process (a brainfm run or the board);"
                            + " wait for it or stop it, or use another --db (to share it, give both"
                            + " ;AUTO_SERVER=TRUE in --db)");
            holder.process.getOutputStream().close();
            assertThat(holder.process.waitFor()).isZero();
        }
        try (Records records = Records.open(url)) {
            assertThat(records.runs().all()).hasSize(1);
        }
    }

    @Test
    void withAutoServerASecondProcessReadsAndWritesThroughTheFirst() throws Exception {
        String url = fileUrl(dir) + ";AUTO_SERVER=TRUE";
        writeOneRun(url);
        try (ChildJvm holder = new ChildJvm(dir.resolve("holder.log"), "hold", url)) {
            assertThat(holder.nextLine()).isEqualTo("ready");
            writeOneRun(url);
            try (Records records = Records.open(url)) {
                assertThat(records.runs().all()).hasSize(2);
                assertThat(records.location()).isEqualTo(file().toString());
            }
            holder.process.getOutputStream().close();
            assertThat(holder.process.waitFor()).isZero();
        }
    }

    @Test
    void aCorruptHeaderIsReportedAndTheFileIsNeverReset() throws Exception {
        String url = fileUrl(dir);
        writeOneRun(url);
        byte[] junk = new byte[8192];
        new Random(3).nextBytes(junk);
        try (FileChannel file = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(junk), 0);
        }
        assertCorruptAndUntouched(url);
    }

    @Test
    void aFileTruncatedToItsHeadersIsNotStartedOver() throws Exception {
        assertLostAndNotStartedOver(8192);
    }

    @Test
    void anEmptiedFileIsNotStartedOver() throws Exception {
        assertLostAndNotStartedOver(0);
    }

    /** H2 opens a file without any readable chunk as a new database; brainfm must not migrate into it. */
    private void assertLostAndNotStartedOver(long keepBytes) throws Exception {
        String url = fileUrl(dir);
        writeOneRun(url);
        try (FileChannel file = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            file.truncate(keepBytes);
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> Records.open(url))
                    .isInstanceOf(BrainfmException.class)
                    .hasMessage(file() + ": has lost its content (emptied or truncated?); brainfm will not start"
                            + " over in it: restore it from a backup, or move it aside, or use another --db");
        }
    }

    @Test
    void aFileThatIsNotADatabaseIsReported() throws Exception {
        Files.writeString(file(), "subject,age\nsub_1,71\n".repeat(500));
        assertCorruptAndUntouched(fileUrl(dir));
    }

    @Test
    void aDatabaseWithOtherTablesIsNotTakenOver() {
        String url = fileUrl(dir);
        TestDb.with(url, db -> db.createTable("patients").column("id", SQLDataType.INTEGER).execute());
        assertThatThrownBy(() -> Records.open(url))
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith(file() + ": cannot apply brainfm's schema: ")
                .hasMessageEndingWith("; if this database is not brainfm's, use another --db");
    }

    @Test
    void aUrlThatIsNotJdbcNamesTheOption() {
        assertThatThrownBy(() -> Records.open("postgres://localhost/brainfm"))
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith("--db: 'postgres://localhost/brainfm' is not a JDBC URL");
        assertThatThrownBy(() -> Records.open("jdbc:nosuchdb://localhost/brainfm?password=secret"))
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith("jdbc:nosuchdb://localhost/brainfm: cannot open the database")
                .hasMessageNotContaining("secret");
    }

    @Test
    void theUrlComesFromTheOptionThenTheEnvironmentThenTheWorkingFolder() {
        Path work = dir.resolve("work");
        assertThat(Records.resolveUrl("jdbc:h2:mem:a", "jdbc:h2:mem:b", work)).isEqualTo("jdbc:h2:mem:a");
        assertThat(Records.resolveUrl(null, "jdbc:h2:mem:b", work)).isEqualTo("jdbc:h2:mem:b");
        assertThat(Records.resolveUrl(null, " ", work)).isEqualTo("jdbc:h2:file:" + work.resolve(".brainfm/brainfm"));
        assertThat(Database.h2FileOf("jdbc:h2:file:" + work.resolve(".brainfm/brainfm") + ";MODE=PostgreSQL"))
                .contains(work.resolve(".brainfm/brainfm.mv.db"));
        assertThat(Database.h2FileOf("jdbc:h2:mem:x")).isEmpty();
        assertThat(Database.h2FileOf("jdbc:postgresql://db/brainfm")).isEmpty();
    }

    @Test
    void aWrongPostgresqlPasswordIsRefusedNamingTheServerNeverThePassword() {
        String url = databases.url(Backend.POSTGRESQL, dir);
        String user = System.getenv().getOrDefault("PGUSER", System.getProperty("user.name"));
        String secret = "not-the-password-4711";
        assertThatThrownBy(() -> Database.at(url, Map.of("PGUSER", user, "PGPASSWORD", secret)).openAndMigrate())
                .isInstanceOf(BrainfmException.class)
                .hasMessage(url + ": the server refused user '" + user + "' (wrong user name or password, or no"
                        + " pg_hba.conf line lets it in); set PGUSER and PGPASSWORD, or a line"
                        + " host:port:database:user:password in ~/.pgpass (or the file PGPASSFILE names)")
                .hasMessageNotContaining(secret);
        // a password in the URL: left out of the name as of every message
        assertThatThrownBy(() -> Database.at(url + "?password=" + secret, Map.of("PGUSER", user)).openAndMigrate())
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith(url + ": the server refused user '" + user + "'")
                .hasMessageNotContaining(secret);
    }

    @Test
    void aPostgresqlUserWithoutAPasswordAnywhereIsToldWhereToPutOne() {
        String url = databases.url(Backend.POSTGRESQL, dir);
        // no PGPASSWORD, and the pgpass file (if any) has no line for this user
        assertThatThrownBy(() -> Database.at(url, Map.of("PGUSER", "nobody_of_brainfm")).openAndMigrate())
                .isInstanceOf(BrainfmException.class)
                .hasMessage(url + ": the server asks for a password for user 'nobody_of_brainfm' and none was given;"
                        + " set PGUSER and PGPASSWORD, or a line host:port:database:user:password in ~/.pgpass (or"
                        + " the file PGPASSFILE names)");
    }

    @Test
    void aMissingPostgresqlDatabaseIsNamedWithWhatToDo() {
        String server = TestDatabases.server();
        String url = server.replaceFirst("/[^/?]*(\\?.*)?$", "/no_such_brainfm_db");
        assertThatThrownBy(() -> Records.open(url))
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith(url + ": the server has no such database; create it (createdb -O ");
    }

    @Test
    void anUnreachableServerIsNamedByHostPortAndDatabase() {
        assertThatThrownBy(() -> Records.open("jdbc:postgresql://127.0.0.1:1/brainfm?password=hunter2"))
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith("jdbc:postgresql://127.0.0.1:1/brainfm: cannot reach the server: ")
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("\n");
        assertThat(Records.location("jdbc:postgresql://alice:hunter2@db.example:5432/brainfm?ssl=true"))
                .isEqualTo("jdbc:postgresql://db.example:5432/brainfm");
    }

    private void assertCorruptAndUntouched(String url) throws Exception {
        byte[] before = Files.readAllBytes(file());
        assertThatThrownBy(() -> Records.open(url))
                .isInstanceOf(BrainfmException.class)
                .hasMessageStartingWith(file() + ": cannot be read: it is corrupt or not an H2 2.x database (H2 error ")
                .hasMessageContaining("brainfm leaves it untouched")
                .hasMessageNotContaining("\n");
        assertThat(Files.readAllBytes(file())).as("the file after the failed open").isEqualTo(before);
    }

    private Path file() {
        return dir.resolve("records.mv.db");
    }

    private static void writeOneRun(String url) {
        try (Records records = Records.open(url)) {
            catalog(records);
            try (ActiveRun run = records.runs().start(NewRun.finetune("unet-mini", "infarct", null), Hardware.cpu())) {
                run.writeResults("infarct", Fixtures.diceCases(100), List.of());
                run.finish(10L);
            }
        }
    }
}
