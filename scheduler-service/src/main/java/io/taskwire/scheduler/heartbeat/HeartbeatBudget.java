package io.taskwire.scheduler.heartbeat;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.RSocketProxy;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.transport.PeerErrorLog;
import io.taskwire.transport.RoutedRSocket;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How many heartbeats a worker may send: {@code max-per-second}, a Resilience4j rate limiter per worker
 * connection. The limiter stands in front of the connection's handlers ({@link #gate}), so that a
 * heartbeat over the budget is dropped before it is decoded; it is counted
 * ({@code taskwire.heartbeats.dropped}), and the start of each flood is logged (never each dropped
 * heartbeat: that would cost what it saves). A worker that keeps going over it for {@code flood-grace}
 * is disconnected, so that one worker cannot take a core away from the rest.
 */
@Component
public class HeartbeatBudget {

    /** Drops this far apart are one flood. */
    private static final long FLOOD_GAP_NANOS = Duration.ofSeconds(1).toNanos();

    private final WorkerRegistry registry;
    private final HeartbeatProperties properties;
    private final RateLimiterConfig config;
    private final Counter dropped;

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

    /**
     * @param handlers the worker connection's responder, which decodes and routes requests
     * @param connection the connection, to close on a flood
     * @return the handlers behind this budget: {@code worker.heartbeat} over it is dropped, everything
     *         else passes
     */
    public RSocket gate(RSocket handlers, RSocket connection) {
        return new Gate(handlers, connection, RateLimiter.of("heartbeats", config));
    }

    private final class Gate extends RSocketProxy implements RoutedRSocket {

        private final RoutedRSocket routed;
        private final RSocket connection;
        private final RateLimiter limiter;
        private long floodStartedNanos;
        private long lastDropNanos;

        private Gate(RSocket handlers, RSocket connection, RateLimiter limiter) {
            super(handlers);
            this.routed = RoutedRSocket.of(handlers);
            this.connection = connection;
            this.limiter = limiter;
        }

        @Override
        public Mono<Void> fireAndForget(Payload payload) {
            return fireAndForget(payload, RouteMetadata.route(payload.metadata()));
        }

        @Override
        public Mono<Void> fireAndForget(Payload payload, String route) {
            if (Routes.WORKER_HEARTBEAT.equals(route) && !admit()) {
                payload.release();
                return Mono.empty();
            }
            return routed != null ? routed.fireAndForget(payload, route) : source.fireAndForget(payload);
        }

        @Override
        public Mono<Payload> requestResponse(Payload payload, String route) {
            return routed != null ? routed.requestResponse(payload, route) : source.requestResponse(payload);
        }

        @Override
        public Flux<Payload> requestStream(Payload payload, String route) {
            return routed != null ? routed.requestStream(payload, route) : source.requestStream(payload);
        }

        /** @return whether a heartbeat is within the budget; if not, it is counted and may disconnect */
        private boolean admit() {
            long now = System.nanoTime();
            boolean floodBegins;
            long floodNanos;
            synchronized (this) {
                if (limiter.acquirePermission()) {
                    if (floodStartedNanos != 0 && now - lastDropNanos > FLOOD_GAP_NANOS) {
                        floodStartedNanos = 0;
                    }
                    return true;
                }
                floodBegins = floodStartedNanos == 0 || now - lastDropNanos > FLOOD_GAP_NANOS;
                if (floodBegins) {
                    floodStartedNanos = now;
                }
                lastDropNanos = now;
                floodNanos = now - floodStartedNanos;
            }
            dropped.increment();
            if (floodBegins) {
                PeerErrorLog.SHARED.warn("Dropped heartbeats over the budget", registry.sessionOn(connection)
                        .map(session -> "worker " + session.id()).orElse("a worker connection")
                        + " sends more than " + properties.maxPerSecond() + " heartbeats a second");
            }
            if (floodNanos >= properties.floodGrace().toNanos()) {
                String reason = "heartbeat flood: more than " + properties.maxPerSecond() + " heartbeats a second for "
                        + properties.floodGrace().toSeconds() + " s";
                registry.sessionOn(connection).ifPresentOrElse(session -> registry.remove(session, reason),
                        connection::dispose);
            }
            return false;
        }
    }
}
