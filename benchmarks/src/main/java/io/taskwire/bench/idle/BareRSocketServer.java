package io.taskwire.bench.idle;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.netty.server.TcpServerTransport;
import reactor.core.publisher.Mono;

/**
 * The baseline of comparison 5, run in a JVM of its own: a bare rsocket-java server that accepts
 * any SETUP and drops every message, so its heap per connection is what RSocket over TCP costs.
 */
public final class BareRSocketServer {

    private BareRSocketServer() {
    }

    /** @param args the port to listen on */
    public static void main(String[] args) {
        RSocketServer.create(SocketAcceptor.with(new RSocket() {
                    @Override
                    public Mono<Void> fireAndForget(Payload payload) {
                        payload.release();
                        return Mono.empty();
                    }
                }))
                .bind(TcpServerTransport.create("localhost", Integer.parseInt(args[0])))
                .block()
                .onClose()
                .block();
    }
}
