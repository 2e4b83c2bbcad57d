package io.taskwire.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskRef;
import io.taskwire.scheduler.support.TestTokens;
import io.taskwire.transport.ProtocolErrors;
import io.taskwire.transport.signing.MessageSigner;
import io.taskwire.transport.signing.SigningProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Signatures on, over real TCP, with a client built on plain rsocket-java that signs by hand, as a
 * peer in another language would: what passes, and tampering, replay and stale timestamps refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=scheduler,application",
        "spring.rsocket.server.port=0",
        TestTokens.WORKER_PROPERTY,
        TestTokens.CLIENT_PROPERTY,
        "taskwire.transport.signing.enabled=true",
        "taskwire.transport.signing.keys.k1=" + SignedMessagesTest.KEY,
        "taskwire.transport.signing.active-key=k1",
        "taskwire.transport.signing.nonce-cache-size=10000"})
class SignedMessagesTest {

    static final String KEY = "signing-test-key-6c1e0b8f2a9d4e7f";

    @LocalRSocketServerPort
    int port;

    @Autowired
    MessageSigner schedulerSide;

    final MessageSigner signer = signer(Clock.systemUTC());
    RSocket client;

    @AfterEach
    void close() {
        if (client != null) {
            client.dispose();
        }
    }

    @Test
    void anUnsignedSetupIsRejected() {
        RSocket unsigned = connect(null);

        assertThat(rejection(unsigned).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(rejection(unsigned).detail()).contains("carries no signature");
    }

    @Test
    void aSignedRequestIsServed() {
        client = connect(signer);

        assertThat(codeOf(client.requestResponse(signed(signer, Routes.TASK_GET, "{\"taskId\":\"nope\"}"))))
                .as("the request passed the signature check and reached the handler")
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aTamperedPayloadIsRejected() {
        client = connect(signer);
        Payload genuine = signed(signer, Routes.TASK_GET, "{\"taskId\":\"mine\"}");
        Payload tampered = ByteBufPayload.create(json("{\"taskId\":\"yours\"}"), genuine.metadata().retain());
        genuine.release();

        ProtocolException refusal = refusal(client.requestResponse(tampered));

        assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(refusal.detail()).contains("does not match");
    }

    @Test
    void aReplayedMessageIsRejected() {
        client = connect(signer);
        Payload original = signed(signer, Routes.TASK_GET, "{\"taskId\":\"again\"}");
        Payload replay = ByteBufPayload.create(original.data().retainedSlice(), original.metadata().retainedSlice());

        assertThat(codeOf(client.requestResponse(original))).isEqualTo(ErrorCode.NOT_FOUND);
        ProtocolException refusal = refusal(client.requestResponse(replay));

        assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(refusal.detail()).contains("seen before");
    }

    @Test
    void aStaleTimestampIsRejected() {
        client = connect(signer);
        MessageSigner late = signer(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-45)));

        ProtocolException refusal = refusal(client.requestResponse(signed(late, Routes.TASK_GET, "{\"taskId\":\"old\"}")));

        assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(refusal.detail()).contains("beyond the 30000 ms allowed");
    }

    @Test
    void theNonceCacheStaysBoundedUnder100000Messages() {
        client = connect(signer);

        Long served = Flux.range(0, 100_000)
                .flatMap(i -> Mono.defer(() -> client.requestResponse(
                                signed(signer, Routes.TASK_GET, "{\"taskId\":\"n-" + i + "\"}")))
                        .map(reply -> ErrorCode.INTERNAL)
                        .onErrorResume(e -> Mono.just(ProtocolErrors.fromPeer(e).code())), 128)
                .filter(code -> code == ErrorCode.NOT_FOUND)
                .count()
                .block(Duration.ofMinutes(2));

        assertThat(served).as("every signed request reached its handler").isEqualTo(100_000);
        assertThat(schedulerSide.noncesHeld()).isLessThanOrEqualTo(10_000);
    }

    private RSocket connect(MessageSigner setupSigner) {
        ByteBuf data = json(Json.write(new ClientHello(Protocol.VERSION, "signed-client")));
        ByteBuf metadata = RouteMetadata.encodeSetup(Routes.CLIENT_CONNECT, TestTokens.CLIENT);
        if (setupSigner != null) {
            metadata = setupSigner.withSignature(metadata, Routes.CLIENT_CONNECT, data);
        }
        return RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .setupPayload(ByteBufPayload.create(data, metadata))
                .connect(TcpClientTransport.create("localhost", port))
                .block(Duration.ofSeconds(10));
    }

    private static Payload signed(MessageSigner signer, String route, String body) {
        ByteBuf data = json(body);
        ByteBuf route_ = RouteMetadata.encode(route);
        ByteBuf metadata = signer.withSignature(route_, route, data);
        route_.release();
        return ByteBufPayload.create(data, metadata);
    }

    private static ErrorCode codeOf(Mono<Payload> reply) {
        return refusal(reply).code();
    }

    private static ProtocolException refusal(Mono<Payload> reply) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        StepVerifier.create(reply).expectErrorSatisfies(error::set).verify(Duration.ofSeconds(5));
        return ProtocolErrors.fromPeer(error.get());
    }

    private static ProtocolException rejection(RSocket connection) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        StepVerifier.create(connection.onClose()).expectErrorSatisfies(error::set).verify(Duration.ofSeconds(5));
        assertThat(error.get()).isInstanceOf(RejectedSetupException.class);
        return ProtocolException.fromWire(error.get().getMessage());
    }

    private static MessageSigner signer(Clock clock) {
        return new MessageSigner(new SigningProperties(true, Map.of("k1", KEY), "k1", Duration.ofSeconds(30), 10), clock);
    }

    private static ByteBuf json(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
