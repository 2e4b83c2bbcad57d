package io.taskwire.bench.soak;

import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.taskwire.bench.JsonPayloads;
import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import io.taskwire.transport.RouteMetadata;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/** The connection of a worker the soak plays, from the attack's own loopback address. */
final class SoakWorker {

    private SoakWorker() {
    }

    /**
     * @return a worker connection, its SETUP sent; {@code responder} answers the scheduler's calls
     */
    static Mono<RSocket> connect(String sourceAddress, int port, String token, String workerId, int slots,
                                 List<String> taskTypes, RSocket responder) {
        WorkerHello hello = new WorkerHello(Protocol.VERSION, workerId, "soak-host", slots, taskTypes, Map.of(),
                "soak", List.of());
        TcpClient tcp = TcpClient.newConnection().host("127.0.0.1").port(port)
                .bindAddress(() -> new InetSocketAddress(sourceAddress, 0));
        return RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .setupPayload(JsonPayloads.of(RouteMetadata.encodeSetup(Routes.WORKER_CONNECT, token), hello))
                .acceptor(SocketAcceptor.with(responder))
                .connect(TcpClientTransport.create(tcp));
    }

    /** @return a {@code worker.heartbeat} of the worker */
    static Payload heartbeat(String workerId, long seq, int slots) {
        return JsonPayloads.of(RouteMetadata.encode(Routes.WORKER_HEARTBEAT),
                new WorkerHeartbeat(workerId, seq, Instant.now(), 0, slots, 0.1, 64L << 20, 512L << 20));
    }

    /**
     * Answers the scheduler as a worker: {@code worker.ping} with a pong, {@code task.execute} as
     * {@code execute} says, and drops what comes fire-and-forget.
     */
    static RSocket responder(Function<TaskAssignment, Mono<Object>> execute) {
        return new RSocket() {
            @Override
            public Mono<Void> fireAndForget(Payload payload) {
                payload.release();
                return Mono.empty();
            }

            @Override
            public Mono<Payload> requestResponse(Payload request) {
                String route = RouteMetadata.route(request.metadata());
                if (Routes.WORKER_PING.equals(route)) {
                    Ping ping = JsonPayloads.read(request, Ping.class);
                    return Mono.just(JsonPayloads.of(Unpooled.EMPTY_BUFFER, new Pong(ping.sentAt(), Instant.now())));
                }
                if (Routes.TASK_EXECUTE.equals(route)) {
                    return execute.apply(JsonPayloads.read(request, TaskAssignment.class))
                            .map(answer -> JsonPayloads.of(Unpooled.EMPTY_BUFFER, answer));
                }
                request.release();
                return Mono.error(new IllegalArgumentException("the soak's worker does not answer " + route));
            }
        };
    }
}
