package io.taskwire.bench;

import io.netty.buffer.ByteBufUtil;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.DefaultPayload;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/** The ceiling: rsocket-java and Jackson on both sides, no Spring, no routing, one connection. */
final class RawRSocketCandidate implements Candidate, FireAndForgetTarget {

    private final AtomicLong received = new AtomicLong();
    private final CloseableChannel server;
    private final RSocket client;

    RawRSocketCandidate() {
        server = RSocketServer.create(SocketAcceptor.with(new Responder()))
                .bind(TcpServerTransport.create("localhost", 0))
                .block(Duration.ofSeconds(10));
        client = RSocketConnector.create()
                .dataMimeType("application/json")
                .connect(TcpClientTransport.create("localhost", server.address().getPort()))
                .block(Duration.ofSeconds(10));
    }

    private final class Responder implements RSocket {

        @Override
        public Mono<Payload> requestResponse(Payload request) {
            try {
                TaskAssignment assignment = Json.read(ByteBufUtil.getBytes(request.data()), TaskAssignment.class);
                return Mono.just(DefaultPayload.create(Json.write(Payloads.echo(assignment, "raw-1"))));
            } finally {
                request.release();
            }
        }

        @Override
        public Mono<Void> fireAndForget(Payload message) {
            try {
                Json.read(ByteBufUtil.getBytes(message.data()), TaskCancel.class);
                received.incrementAndGet();
                return Mono.empty();
            } finally {
                message.release();
            }
        }
    }

    @Override
    public String name() {
        return "raw rsocket-java + Jackson";
    }

    @Override
    public Mono<?> call() {
        return Mono.defer(() -> client.requestResponse(DefaultPayload.create(Json.write(Payloads.assignment()))))
                .map(RawRSocketCandidate::decode);
    }

    static TaskResult decode(Payload reply) {
        try {
            return Json.read(reply.getDataUtf8().getBytes(StandardCharsets.UTF_8), TaskResult.class);
        } finally {
            reply.release();
        }
    }

    @Override
    public Mono<Void> fire() {
        return Mono.defer(() -> client.fireAndForget(DefaultPayload.create(Json.write(Payloads.cancel()))));
    }

    @Override
    public long received() {
        return received.get();
    }

    @Override
    public int window() {
        return 4_096;
    }

    @Override
    public void close() {
        client.dispose();
        server.dispose();
    }
}
