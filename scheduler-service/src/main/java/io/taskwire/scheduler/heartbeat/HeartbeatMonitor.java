package io.taskwire.scheduler.heartbeat;

import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Routes;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.taskwire.transport.SubscriptionLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Declares silent workers OFFLINE and measures each worker's round trip. A worker whose last
 * heartbeat is older than the timeout is removed and its connection closed; a closed connection is
 * noticed by the registry at once, without waiting for this check.
 */
@Component
class HeartbeatMonitor extends SubscriptionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatMonitor.class);

    private final WorkerRegistry registry;
    private final HeartbeatProperties properties;
    private final Clock clock;

    HeartbeatMonitor(WorkerRegistry registry, HeartbeatProperties properties, Clock clock) {
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected Disposable subscribe() {
        return Disposables.composite(
                Flux.interval(properties.checkInterval(), Schedulers.parallel()).subscribe(tick -> checkSilence()),
                Flux.interval(properties.pingInterval(), Schedulers.parallel()).subscribe(tick -> pingAll()));
    }



    void checkSilence() {
        long now = System.nanoTime();
        long timeoutNanos = properties.timeout().toNanos();
        for (WorkerSession session : registry.live()) {
            long silence = WorkerRegistry.silenceNanos(session, now);
            if (silence > timeoutNanos) {
                registry.remove(session, "no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(silence) + " ms");
            }
        }
    }

    void pingAll() {
        for (WorkerSession session : registry.live()) {
            ping(session).subscribe();
        }
    }

    private Mono<Void> ping(WorkerSession session) {
        long sentNanos = System.nanoTime();
        return session.requester().route(Routes.WORKER_PING)
                .data(new Ping(clock.instant()))
                .retrieveMono(Pong.class)
                .timeout(properties.pingTimeout())
                .doOnNext(pong -> registry.roundTrip(session, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sentNanos)))
                .doOnError(e -> log.debug("Ping to {} failed: {}", session.id(), e.toString()))
                .onErrorComplete()
                .then();
    }
}
