package io.taskwire.bench.idle;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.taskwire.bench.JsonPayloads;
import io.taskwire.bench.cluster.WorkerConnection;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * An idle worker as the scheduler sees one: its own TCP connection, a {@code worker.connect}
 * SETUP with the worker token ({@link WorkerConnection}), a {@code worker.heartbeat} every interval,
 * answers to {@code worker.ping}, and no tasks. Cheap enough that a thousand fit in the benchmark's JVM.
 */
final class SimulatedWorker implements AutoCloseable {

    private final String id;
    private final RSocket rsocket;
    private final Disposable heartbeats;
    private final AtomicLong seq = new AtomicLong();

    private SimulatedWorker(String id, RSocket rsocket, Duration interval) {
        this.id = id;
        this.rsocket = rsocket;
        Duration first = Duration.ofMillis(ThreadLocalRandom.current().nextLong(interval.toMillis()));
        this.heartbeats = Flux.interval(first, interval)
                .concatMap(tick -> rsocket.fireAndForget(heartbeat()).onErrorResume(failure -> Mono.empty()))
                .subscribe();
    }

    /** Dials on a connection of its own (Reactor Netty's pool holds at most 500 per address). */
    static Mono<SimulatedWorker> connect(String id, int port, String token, Duration heartbeatInterval) {
        WorkerHello hello = new WorkerHello(Protocol.VERSION, id, "bench-host", 4, List.of("echo"), Map.of(),
                "bench", List.of());
        return WorkerConnection.connect(TcpClient.newConnection().host("localhost").port(port), token, hello,
                        WorkerConnection.responder(assignment -> Mono.never()))
                .map(rsocket -> new SimulatedWorker(id, rsocket, heartbeatInterval));
    }

    private Payload heartbeat() {
        Runtime runtime = Runtime.getRuntime();
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(id, seq.incrementAndGet(), Instant.now(), 0, 4, 0.0,
                runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory());
        return JsonPayloads.of(RouteMetadata.encode(Routes.WORKER_HEARTBEAT), heartbeat);
    }

    @Override
    public void close() {
        heartbeats.dispose();
        rsocket.dispose();
    }
}
