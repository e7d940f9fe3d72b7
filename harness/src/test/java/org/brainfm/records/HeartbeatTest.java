package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.brainfm.compute.Hardware;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interrupted runs across hosts: a run's process keeps its heartbeat going while it writes
 * nothing, a process on another host leaves such a run alone, and once the process is killed
 * and the lease has passed, the other host marks the run interrupted (no process table of its
 * host needed). On H2 the processes share the file through AUTO_SERVER.
 */
class HeartbeatTest {
    /** Short, so that the test waits seconds; the child beats every tenth of it. */
    private static final Duration LEASE = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aKilledRunIsMarkedInterruptedByAnotherHostOnceItsHeartbeatIsOlderThanTheLease(Backend backend)
            throws Exception {
        String url = databases.url(backend, dir) + (backend == Backend.H2 ? ";AUTO_SERVER=TRUE" : "");
        Owner otherHost = Owner.current().onHost("host-b");
        long runId;
        OffsetDateTime lastBeat;
        try (ChildJvm child = new ChildJvm(dir.resolve("child.log"),
                Map.of("BRAINFM_HOST", "host-a", "BRAINFM_RUN_LEASE", String.valueOf(LEASE.toSeconds())), "idle", url)) {
            String first = child.nextLine();
            assertThat(first).startsWith("run ");
            runId = Long.parseLong(first.substring(4));
            try (Records records = Records.open(url, otherHost, new Lease(LEASE))) {
                assertThat(records.interruptedOnOpen()).as("a live run of another host").isEmpty();
                RunRow run = records.runs().get(runId).orElseThrow();
                assertThat(run.host()).isEqualTo("host-a");
                assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
                // the child writes nothing after starting the run: only its timer moves the heartbeat
                OffsetDateTime started = records.runs().heartbeat(runId).orElseThrow();
                await(Duration.ofSeconds(30), "the heartbeat moves", () ->
                        records.runs().heartbeat(runId).orElseThrow().isAfter(started));
            }
            child.process.destroyForcibly(); // SIGKILL: the timer dies with it
            assertThat(child.process.waitFor()).isEqualTo(128 + 9);
        }
        try (Records records = Records.open(url, otherHost, new Lease(LEASE))) {
            lastBeat = records.runs().heartbeat(runId).orElseThrow();
        }
        await(Duration.ofSeconds(60), "the lease passes on the database's clock", () ->
                TestDb.now(url).isAfter(lastBeat.plus(LEASE.plusMillis(100))));

        try (Records records = Records.open(url, otherHost, new Lease(LEASE))) {
            assertThat(records.interruptedOnOpen()).containsExactly(runId);
            RunRow run = records.runs().get(runId).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.error()).startsWith("interrupted: no heartbeat from its process (pid ")
                    .contains(" on host-a) since ").contains("longer than the lease of 6 s");
            assertThat(records.runs().heartbeat(runId)).contains(lastBeat);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theHeartbeatThreadRunsWhileRunsGoAndStopsWithTheRecords(Backend backend) throws Exception {
        String url = databases.url(backend, dir);
        try (Records records = Records.open(url, Owner.current(), new Lease(Duration.ofMillis(500)))) {
            Fixtures.catalog(records);
            assertThat(heartbeatThreads()).as("no run yet, no thread").isZero();
            ActiveRun run = records.runs().start(NewRun.pretrain("unet-mini", "mae"), Hardware.cpu());
            assertThat(heartbeatThreads()).isEqualTo(1);
            OffsetDateTime started = records.runs().heartbeat(run.id()).orElseThrow();
            await(Duration.ofSeconds(30), "the heartbeat moves", () ->
                    records.runs().heartbeat(run.id()).orElseThrow().isAfter(started));
            run.finish(null);
        }
        await(Duration.ofSeconds(10), "the thread ends with the records", () -> heartbeatThreads() == 0);
    }

    private static long heartbeatThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("brainfm-heartbeat") && t.isAlive()).count();
    }

    /** Waits until {@code condition} holds, checking every 100 ms; fails after {@code timeout}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for: %s", timeout, what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
