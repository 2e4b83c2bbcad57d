package io.taskwire.worker.connection;

import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.FakeScheduler.Setup;
import io.taskwire.worker.support.Workers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A refused SETUP is tried again, later each time, until the scheduler accepts. */
class RejectedSetupTest {

    @Test
    void rejectedSetupIsRetriedWithGrowingBackoff() {
        try (FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(4)).rejectingFirst(3).start(0);
             ConfigurableApplicationContext worker = Workers.start(scheduler.port(), "taskwire.worker.id=w-dup",
                     "resilience4j.retry.configs.connection.wait-duration=200ms",
                     "resilience4j.retry.configs.connection.exponential-max-wait-duration=2s")) {

            scheduler.awaitSetups(4, Duration.ofSeconds(8));
            await().atMost(Duration.ofSeconds(3)).until(() -> Workers.registered(worker));

            List<Setup> setups = scheduler.setups();
            assertThat(setups).hasSize(4);
            long firstGap = gapMillis(setups, 1);
            long lastGap = gapMillis(setups, 3);
            assertThat(List.of(firstGap, gapMillis(setups, 2), lastGap)).as("gaps between SETUPs in ms")
                    .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(90));
            // Resilience4j's exponential random backoff, factor 0.5: the first wait is drawn from
            // [100, 300] ms, the third from [400, 1200] ms
            assertThat(lastGap).as("third gap, after %d ms first", firstGap).isGreaterThanOrEqualTo(380);
        }
    }

    private static long gapMillis(List<Setup> setups, int index) {
        return Duration.ofNanos(setups.get(index).receivedNanos() - setups.get(index - 1).receivedNanos()).toMillis();
    }
}
