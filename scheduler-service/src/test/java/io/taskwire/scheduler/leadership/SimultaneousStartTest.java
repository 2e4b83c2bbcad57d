package io.taskwire.scheduler.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.postgres.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two schedulers started together on one PostgreSQL database, 8 times (the first time on an empty
 * database, so that they also migrate it together), made to ask for the lead at the same moment:
 * exactly one leads each time, and the lead stays with it.
 */
class SimultaneousStartTest {

    private static final int ROUNDS = 8;
    private static final Duration WITHIN = Duration.ofSeconds(60);

    private final ExecutorService starting = Executors.newFixedThreadPool(2);
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        running.forEach(ConfigurableApplicationContext::close);
        starting.shutdownNow();
        starting.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void ofTwoSchedulersStartedAtTheSameMomentExactlyOneLeadsEveryTime() throws Exception {
        PostgresServer.Database database = PostgresServer.shared().newDatabase();
        for (int round = 1; round <= ROUNDS; round++) {
            AtTheSameMoment together = new AtTheSameMoment();
            List<Future<ConfigurableApplicationContext>> starts = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                String advertised = name + round + ".example:7000";
                starts.add(starting.submit(() -> SharedStore.start(database, advertised, together)));
            }
            List<Leadership> both = new ArrayList<>();
            for (Future<ConfigurableApplicationContext> start : starts) {
                ConfigurableApplicationContext scheduler = start.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
                running.add(scheduler);
                both.add(scheduler.getBean(Leadership.class));
            }
            int thisRound = round;
            await().atMost(WITHIN).until(() -> both.stream().noneMatch(one -> one.state() == Leadership.State.STARTING));
            assertThat(both).as("round %d", thisRound).extracting(Leadership::state)
                    .containsExactlyInAnyOrder(Leadership.State.LEADER, Leadership.State.STANDBY);
            Leadership leader = both.stream().filter(Leadership::leads).findFirst().orElseThrow();
            // a few renewals later the lead is still the same scheduler's, with the same epoch
            long epoch = leader.epoch();
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() ->
                    leader.leads() && leader.epoch() == epoch && both.stream().filter(Leadership::leads).count() == 1);
            closeTogether();
        }
    }

    private void closeTogether() throws Exception {
        List<Future<?>> closing = new ArrayList<>();
        running.forEach(scheduler -> closing.add(starting.submit(scheduler::close)));
        for (Future<?> close : closing) {
            close.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        }
        running.clear();
    }

    /**
     * Lets the two starts run side by side and ask for the lead together: they go through Spring
     * Boot's set-up of the logging one at a time (it is not safe for two applications at once in
     * one JVM), then refresh side by side, and wait for each other before they announce that they
     * are ready, which is when a scheduler first asks for the lead.
     */
    private static final class AtTheSameMoment implements ApplicationListener<SpringApplicationEvent> {
        private final ReentrantLock settingUp = new ReentrantLock();
        private final CyclicBarrier ready = new CyclicBarrier(2);

        @Override
        public void onApplicationEvent(SpringApplicationEvent event) {
            if (event instanceof ApplicationStartingEvent) {
                settingUp.lock();
            } else if (event instanceof ApplicationPreparedEvent || event instanceof ApplicationFailedEvent) {
                if (settingUp.isHeldByCurrentThread()) {
                    settingUp.unlock();
                }
            } else if (event instanceof ApplicationStartedEvent) {
                try {
                    ready.await(WITHIN.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other scheduler did not start", e);
                }
            }
        }
    }
}
