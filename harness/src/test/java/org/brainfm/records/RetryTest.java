package org.brainfm.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brainfm.records.db.Tables.RUN;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.brainfm.BrainfmException;
import org.brainfm.compute.Hardware;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A transaction the database aborts to break a deadlock is run again, whole, a bounded number of times. */
class RetryTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final TestDatabases databases = new TestDatabases();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aDeadlockOfTwoWritersIsBrokenAndTheLoserRunsAgainWhole(Backend backend) throws Exception {
        String url = databases.url(backend, dir);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Records a = Records.open(url); Records b = Records.open(url)) {
            Fixtures.catalog(a);
            long x = a.runs().start(NewRun.pretrain("unet-mini", "mae").withSeed(0), Hardware.cpu()).id();
            long y = a.runs().start(NewRun.pretrain("unet-mini", "mae").withSeed(0), Hardware.cpu()).id();
            // each takes one row, then wants the other's: a deadlock, which the database breaks by
            // aborting one of them; on its second try the latch is open and the other has committed
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            AtomicInteger tries = new AtomicInteger();
            Future<?> first = threads.submit(() -> a.sql().transaction(t -> {
                tries.incrementAndGet();
                bump(t, x);
                bothHoldOne.countDown();
                await(bothHoldOne);
                bump(t, y);
            }));
            Future<?> second = threads.submit(() -> b.sql().transaction(t -> {
                tries.incrementAndGet();
                bump(t, y);
                bothHoldOne.countDown();
                await(bothHoldOne);
                bump(t, x);
            }));
            first.get(60, TimeUnit.SECONDS);
            second.get(60, TimeUnit.SECONDS);
            assertThat(a.retries() + b.retries()).as("transactions run again").isEqualTo(1);
            assertThat(tries).hasValue(3);
            // each transaction added 1 to both rows exactly once: the aborted try left nothing behind
            assertThat(a.runs().get(x).orElseThrow().seed()).isEqualTo(2L);
            assertThat(a.runs().get(y).orElseThrow().seed()).isEqualTo(2L);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aTransactionTheDatabaseKeepsAbortingIsTriedBoundedTimesAndOthersNotAgain() {
        try (Records records = Records.open("jdbc:h2:mem:retries")) {
            AtomicInteger tries = new AtomicInteger();
            assertThatThrownBy(() -> records.sql().transaction(t -> {
                tries.incrementAndGet();
                throw new DataAccessException("deadlock detected", new SQLException("deadlock detected", "40P01"));
            }))
                    .isInstanceOf(BrainfmException.class)
                    .hasMessage("jdbc:h2:mem:retries: the database aborted the same transaction 5 times (deadlock or"
                            + " serialisation conflict with other writers); try again later: deadlock detected");
            assertThat(tries).hasValue(Sql.TRIES);
            assertThat(records.retries()).isEqualTo(Sql.TRIES - 1);

            tries.set(0);
            String result = records.sql().call(db -> {
                if (tries.incrementAndGet() < 3) {
                    throw new DataAccessException("could not serialize", new SQLException("serialize", "40001"));
                }
                return "done";
            });
            assertThat(result).isEqualTo("done");
            assertThat(tries).hasValue(3);

            // a broken constraint is no tie the database broke: it is reported at once
            tries.set(0);
            assertThatThrownBy(() -> records.sql().transaction(t -> {
                tries.incrementAndGet();
                throw new DataAccessException("duplicate key", new SQLException("duplicate key", "23505"));
            })).isInstanceOf(DataAccessException.class);
            assertThat(tries).hasValue(1);
        }
    }

    private static void bump(DSLContext t, long runId) {
        t.update(RUN).set(RUN.SEED, RUN.SEED.plus(1)).where(RUN.ID.eq(runId)).execute();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("the other writer took its row").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
