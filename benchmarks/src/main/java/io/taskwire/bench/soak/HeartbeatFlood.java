package io.taskwire.bench.soak;

import io.rsocket.RSocket;
import io.taskwire.bench.cluster.WorkerConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A worker (for a task type nobody submits) that sends heartbeats as fast as a tick of
 * 1 ms allows, {@code perSecond} in all; when the scheduler disconnects it, it dials again under a
 * new id.
 */
final class HeartbeatFlood extends Attack {

    private static final Duration WATCHED = Duration.ofSeconds(60);

    private final int port;
    private final String workerToken;
    private final int perSecond;
    private final AtomicLong sequence = new AtomicLong();

    HeartbeatFlood(String sourceAddress, int port, String workerToken, int perSecond) {
        super("heartbeat flood", sourceAddress);
        this.port = port;
        this.workerToken = workerToken;
        this.perSecond = perSecond;
    }

    @Override
    String description() {
        return String.format("a worker sending %,d heartbeats/s, dialling again under a new id once disconnected",
                perSecond);
    }

    @Override
    void start() {
        paced("worker", 1, this::floodOnce);
    }

    private void floodOnce() {
        String id = "soak-flood-" + sequence.incrementAndGet();
        RSocket connection = SoakWorker.connect(sourceAddress(), port, workerToken, id, 1, List.of("soak-idle"),
                WorkerConnection.responder(assignment -> Mono.never())).block(Duration.ofSeconds(10));
        AtomicLong seq = new AtomicLong();
        int perTick = Math.max(1, perSecond / 1_000);
        long start = System.nanoTime();
        Disposable flood = Flux.interval(Duration.ofMillis(1))
                .onBackpressureDrop()
                .concatMap(tick -> Flux.range(0, perTick)
                        .concatMap(i -> connection.fireAndForget(SoakWorker.heartbeat(id, seq.incrementAndGet(), 1))))
                .subscribe(sent -> { }, failure -> { });
        try {
            connection.onClose().timeout(WATCHED).block();
            count("disconnected by the scheduler");
        } catch (RuntimeException closed) {
            count(closed.getCause() instanceof TimeoutException ? "still connected after " + WATCHED.toSeconds() + " s"
                    : "disconnected by the scheduler");
        } finally {
            flood.dispose();
            connection.dispose();
            count("heartbeats sent", seq.get());
            count("seconds connected", (System.nanoTime() - start) / 1_000_000_000L);
        }
    }
}
