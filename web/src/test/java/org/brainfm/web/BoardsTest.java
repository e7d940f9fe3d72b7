package org.brainfm.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.brainfm.records.Records;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of the boards keeps only what was read whole: a failed read is tried again. */
class BoardsTest {
    @TempDir
    Path dir;

    /**
     * The per-case results are unreadable for one request (their table is renamed away by a second
     * connection to the same H2 file, as another process sharing it could): the boards themselves
     * read fine, the rank intervals behind them fail. Once the table is back, the next request
     * shows the board with its intervals, though the records' change stamp never changed.
     */
    @Test
    void aFailedReadOfTheRecordsIsNotKeptWithTheBoards() throws Exception {
        try (Records records = Records.open(Fixture.url(dir))) {
            new Fixture(records);
            try (Site site = new Site(records, Fixture.TOKEN, 200);
                    Connection other = DriverManager.getConnection(Fixture.url(dir))) {
                JavalinTest.test(site.app(), (server, client) -> {
                    execute(other, "ALTER TABLE CASE_RESULT RENAME TO CASE_RESULT_AWAY");
                    assertThat(client.get("/").code()).isEqualTo(500);
                    execute(other, "ALTER TABLE CASE_RESULT_AWAY RENAME TO CASE_RESULT");
                    Response board = client.get("/");
                    assertThat(board.code()).isEqualTo(200);
                    assertThat(board.body().string()).containsPattern("\\[1, \\d\\]").doesNotContain("computing…");
                });
            }
        }
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
