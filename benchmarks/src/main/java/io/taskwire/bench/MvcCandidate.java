package io.taskwire.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.taskwire.bench.mvc.MvcEchoApplication;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskResult;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Spring MVC on Tomcat over HTTP/1.1 keep-alive, called with Reactor Netty's client from a pool of
 * kept-alive connections, one per call in flight (HTTP/1.1 has no multiplexing).
 */
final class MvcCandidate implements Candidate, FireAndForgetTarget {

    private final ConfigurableApplicationContext application;
    private final ConnectionProvider connections;
    private final HttpClient client;

    MvcCandidate() {
        application = MvcEchoApplication.start();
        int port = ((WebServerApplicationContext) application).getWebServer().getPort();
        connections = ConnectionProvider.builder("bench-mvc").maxConnections(256).build();
        client = HttpClient.create(connections)
                .protocol(HttpProtocol.HTTP11)
                .keepAlive(true)
                .baseUrl("http://localhost:" + port)
                .headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
    }

    @Override
    public String name() {
        return "Spring MVC JSON, HTTP/1.1";
    }

    @Override
    public Mono<?> call() {
        return Mono.defer(() -> client.post()
                .uri(MvcEchoApplication.PATH)
                .send(ByteBufFlux.fromString(Mono.just(Json.write(Payloads.assignment()))))
                .responseSingle((response, body) -> {
                    if (response.status().code() != 200) {
                        return Mono.error(new IllegalStateException("HTTP " + response.status()));
                    }
                    return body.asByteArray();
                })
                .map(json -> Json.read(json, TaskResult.class)));
    }

    /** HTTP has no one-way call: a {@code POST} answered {@code 202} with no body is the nearest. */
    @Override
    public Mono<Void> fire() {
        return Mono.defer(() -> client.post()
                .uri(MvcEchoApplication.CANCEL_PATH)
                .send(ByteBufFlux.fromString(Mono.just(Json.write(Payloads.cancel()))))
                .responseSingle((response, body) -> body.then()));
    }

    @Override
    public long received() {
        return application.getBean(MvcEchoApplication.class).cancelsReceived();
    }

    @Override
    public int window() {
        return 64;
    }

    @Override
    public void close() {
        connections.dispose();
        application.close();
    }
}
