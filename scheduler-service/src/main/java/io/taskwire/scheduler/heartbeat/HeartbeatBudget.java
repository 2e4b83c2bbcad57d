package io.taskwire.scheduler.heartbeat;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.scheduler.registry.WorkerLeft;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.transport.PeerErrorLog;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * How many heartbeats a worker may send: {@code max-per-second}, a Resilience4j rate limiter per live
 * session. One over the budget is dropped and counted ({@code taskwire.heartbeats.dropped}), and the
 * start of each flood is logged (never each dropped heartbeat: that would cost what it saves); a worker
 * that keeps going over it for {@code flood-grace} is disconnected, so that one worker cannot take a
 * core away from the rest.
 */
@Component
class HeartbeatBudget {

    /** Drops this far apart are one flood. */
    private static final long FLOOD_GAP_NANOS = Duration.ofSeconds(1).toNanos();

    private final WorkerRegistry registry;
    private final HeartbeatProperties properties;
    private final RateLimiterConfig config;
    private final Counter dropped;
    private final ConcurrentHashMap<WorkerSession, Budget> budgets = new ConcurrentHashMap<>();

    HeartbeatBudget(WorkerRegistry registry, HeartbeatProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.properties = properties;
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(properties.maxPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
        this.dropped = Counter.builder("taskwire.heartbeats.dropped")
                .description("Heartbeats dropped because their worker sent more than max-per-second").register(meters);
    }

    /** @return whether the heartbeat is within the worker's budget; if not, it is dropped (and may disconnect) */
    boolean admit(WorkerSession session) {
        Budget budget = budgets.computeIfAbsent(session,
                live -> new Budget(RateLimiter.of("heartbeats:" + live.id(), config)));
        long now = System.nanoTime();
        boolean floodBegins;
        synchronized (budget) {
            if (budget.limiter.acquirePermission()) {
                if (budget.floodStartedNanos != 0 && now - budget.lastDropNanos > FLOOD_GAP_NANOS) {
                    budget.floodStartedNanos = 0;
                }
                return true;
            }
            floodBegins = budget.floodStartedNanos == 0 || now - budget.lastDropNanos > FLOOD_GAP_NANOS;
            if (floodBegins) {
                budget.floodStartedNanos = now;
            }
            budget.lastDropNanos = now;
        }
        dropped.increment();
        if (floodBegins) {
            PeerErrorLog.SHARED.warn("Dropped heartbeats over the budget", "worker " + session.id()
                    + " sends more than " + properties.maxPerSecond() + " heartbeats a second");
        }
        if (now - budget.floodStartedNanos >= properties.floodGrace().toNanos()) {
            registry.remove(session, "heartbeat flood: more than " + properties.maxPerSecond()
                    + " heartbeats a second for " + properties.floodGrace().toSeconds() + " s");
        }
        return false;
    }

    @EventListener
    void on(WorkerLeft left) {
        budgets.remove(left.session());
    }

    private static final class Budget {
        private final RateLimiter limiter;
        private long floodStartedNanos;
        private long lastDropNanos;

        private Budget(RateLimiter limiter) {
            this.limiter = limiter;
        }
    }
}
