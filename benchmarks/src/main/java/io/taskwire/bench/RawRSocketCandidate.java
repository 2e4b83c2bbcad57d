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
import io.taskwire.messages.TaskResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.core.publisher.Mono;

/** The ceiling: rsocket-java and Jackson on both sides, no Spring, no routing, one connection. */
final class RawRSocketCandidate implements Candidate {

    private final CloseableChannel server;
    private final RSocket client;

    RawRSocketCandidate() {
        server = RSocketServer.create(SocketAcceptor.forRequestResponse(RawRSocketCandidate::execute))
                .bind(TcpServerTransport.create("localhost", 0))
                .block(Duration.ofSeconds(10));
        client = RSocketConnector.create()
                .dataMimeType("application/json")
                .connect(TcpClientTransport.create("localhost", server.address().getPort()))
                .block(Duration.ofSeconds(10));
    }

    private static Mono<Payload> execute(Payload request) {
        try {
            TaskAssignment assignment = Json.read(ByteBufUtil.getBytes(request.data()), TaskAssignment.class);
            return Mono.just(DefaultPayload.create(Json.write(Payloads.echo(assignment, "raw-1"))));
        } finally {
            request.release();
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
    public void close() {
        client.dispose();
        server.dispose();
    }
}
