package io.taskwire.bench.idle;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.bench.JsonPayloads;
import io.taskwire.messages.Json;
import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import io.taskwire.transport.RouteMetadata;
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
 * SETUP with the worker token, a {@code worker.heartbeat} every interval, answers to
 * {@code worker.ping}, and no tasks. Cheap enough that a thousand fit in the benchmark's JVM.
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
        return RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .setupPayload(JsonPayloads.of(RouteMetadata.encodeSetup(Routes.WORKER_CONNECT, token), hello))
                .acceptor((setup, scheduler) -> Mono.just(new Responder()))
                .connect(TcpClientTransport.create(TcpClient.newConnection().host("localhost").port(port)))
                .map(rsocket -> new SimulatedWorker(id, rsocket, heartbeatInterval));
    }

    private Payload heartbeat() {
        Runtime runtime = Runtime.getRuntime();
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(id, seq.incrementAndGet(), Instant.now(), 0, 4, 0.0,
                runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory());
        return JsonPayloads.of(RouteMetadata.encode(Routes.WORKER_HEARTBEAT), heartbeat);
    }

    /** {@code worker.config} is taken and dropped; {@code worker.ping} is answered. */
    private static final class Responder implements RSocket {

        @Override
        public Mono<Void> fireAndForget(Payload config) {
            config.release();
            return Mono.empty();
        }

        @Override
        public Mono<Payload> requestResponse(Payload request) {
            Ping ping = JsonPayloads.read(request, Ping.class);
            return Mono.just(ByteBufPayload.create(Json.write(new Pong(ping.sentAt(), Instant.now()))));
        }
    }

    @Override
    public void close() {
        heartbeats.dispose();
        rsocket.dispose();
    }
}
