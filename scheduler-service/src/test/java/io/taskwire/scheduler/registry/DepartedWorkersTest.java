package io.taskwire.scheduler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.rsocket.RSocket;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.WorkerHello;
import io.taskwire.scheduler.support.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.messaging.rsocket.RSocketStrategies;
import org.springframework.util.MimeTypeUtils;

/**
 * Departed workers are listed for the retention and then forgotten, whether or not anybody lists them,
 * and never more than {@link WorkerRegistry#MAX_DEPARTED} at once: a fleet that changes its ids, or a
 * peer that dials in under a new id each time, cannot grow the registry.
 */
class DepartedWorkersTest {

    private static final Duration RETENTION = Duration.ofMinutes(5);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final WorkerRegistry registry = new WorkerRegistry(event -> { },
            new RegistryProperties(RETENTION, 3, Duration.ofMinutes(1)), clock);

    @Test
    void departuresPastTheRetentionAreForgottenAsOthersLeaveWithoutAnyoneListingTheWorkers() {
        joinAndLeave("churn-0");
        clock.advance(RETENTION.plusSeconds(1));

        WorkerSession recent = joinAndLeave("churn-1");

        assertThat(registry.departedCount()).isEqualTo(1);
        assertThat(registry.all()).containsExactly(recent);
    }

    @Test
    void atMostMaxDepartedAreRememberedAndTheLongestGoneIsForgottenFirst() {
        int extra = 5;
        WorkerSession last = null;
        // two INFO lines per worker would be all of this test's output
        Logger log = (Logger) LoggerFactory.getLogger(WorkerRegistry.class);
        Level level = log.getLevel();
        log.setLevel(Level.WARN);
        try {
            for (int i = 0; i < WorkerRegistry.MAX_DEPARTED + extra; i++) {
                last = joinAndLeave("churn-" + i);
            }
        } finally {
            log.setLevel(level);
        }

        assertThat(registry.departedCount()).isEqualTo(WorkerRegistry.MAX_DEPARTED);
        List<String> listed = registry.all().stream().map(WorkerSession::id).toList();
        assertThat(listed).hasSize(WorkerRegistry.MAX_DEPARTED)
                .doesNotContain("churn-0", "churn-" + (extra - 1))
                .contains("churn-" + extra, last.id());
    }

    @Test
    void aWorkerThatComesBackIsListedOnceAsLive() {
        joinAndLeave("churn-back");
        WorkerSession back = registry.register(hello("churn-back"), requester());

        assertThat(registry.departedCount()).isZero();
        assertThat(registry.all()).containsExactly(back);
    }

    private WorkerSession joinAndLeave(String workerId) {
        WorkerSession session = registry.register(hello(workerId), requester());
        registry.remove(session, "test");
        return session;
    }

    private static WorkerHello hello(String workerId) {
        return new WorkerHello(Protocol.VERSION, workerId, "localhost", 1, List.of("echo"), Map.of(), "test", null);
    }

    /** A connection that is already gone: the registry only disposes it when the worker leaves. */
    private static RSocketRequester requester() {
        return RSocketRequester.wrap(new RSocket() { }, MimeTypeUtils.APPLICATION_JSON,
                MimeTypeUtils.APPLICATION_JSON, RSocketStrategies.create());
    }
}
