package io.taskwire.bench.cluster;

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
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.WorkerHello;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * A worker's connection on bare rsocket-java, as a worker in another language would dial: a
 * {@code worker.connect} SETUP with the worker token, and a responder for the scheduler's calls.
 */
public final class WorkerConnection {

    private WorkerConnection() {
    }

    /**
     * @param tcp where to dial, and from where
     * @return the connection, its SETUP sent; {@code responder} answers the scheduler's calls
     */
    public static Mono<RSocket> connect(TcpClient tcp, String token, WorkerHello hello, RSocket responder) {
        return RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .setupPayload(JsonPayloads.of(RouteMetadata.encodeSetup(Routes.WORKER_CONNECT, token), hello))
                .acceptor(SocketAcceptor.with(responder))
                .connect(TcpClientTransport.create(tcp));
    }

    /**
     * Answers the scheduler as a worker: {@code worker.ping} with a pong, {@code task.execute} as
     * {@code execute} says, and drops what comes fire-and-forget.
     */
    public static RSocket responder(Function<TaskAssignment, Mono<Object>> execute) {
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
