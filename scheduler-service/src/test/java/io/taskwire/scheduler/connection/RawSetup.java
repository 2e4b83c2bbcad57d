package io.taskwire.scheduler.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.metadata.AuthMetadataCodec;
import io.rsocket.metadata.CompositeMetadataCodec;
import io.taskwire.scheduler.support.TestTokens;
import io.rsocket.metadata.TaggingMetadataCodec;
import io.rsocket.metadata.WellKnownMimeType;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import reactor.test.StepVerifier;

/**
 * A SETUP put together by hand over plain rsocket-java, the way a peer in another language would send
 * it, so that tests can send what no well-behaved Spring requester would: raw hello JSON, another
 * MIME type, no route, a short keepalive.
 */
public final class RawSetup {

    private String dataMimeType = Protocol.DATA_MIME_TYPE;
    private String route = Routes.WORKER_CONNECT;
    private Duration keepAliveInterval = Duration.ofSeconds(20);
    private String token = TestTokens.WORKER;
    private final byte[] data;

    private RawSetup(byte[] data) {
        this.data = data;
    }

    /** A {@code worker.connect} SETUP carrying this text as its data. */
    public static RawSetup withData(String data) {
        return new RawSetup(data.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code worker.connect} SETUP carrying this message as JSON. */
    public static RawSetup withHello(Object hello) {
        return withData(Json.write(hello));
    }

    /** The SETUP route; null sends composite metadata without a routing entry. */
    RawSetup route(String route) {
        this.route = route;
        return this;
    }

    /** The bearer token in the SETUP; the worker token unless set, none when null. */
    RawSetup token(String token) {
        this.token = token;
        return this;
    }

    RawSetup dataMimeType(String mimeType) {
        this.dataMimeType = mimeType;
        return this;
    }

    RawSetup keepAliveInterval(Duration interval) {
        this.keepAliveInterval = interval;
        return this;
    }

    /**
     * Dials the scheduler and sends the SETUP. RSocket has no SETUP acknowledgement: a connection
     * returned here may still be refused, see {@link #rejectionOf(RSocket)}.
     */
    public RSocket connect(int port) {
        return RSocketConnector.create()
                .dataMimeType(dataMimeType)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .keepAlive(keepAliveInterval, Duration.ofSeconds(90))
                .setupPayload(DefaultPayload.create(data, metadata()))
                .connect(TcpClientTransport.create("localhost", port))
                .block(Duration.ofSeconds(10));
    }

    /**
     * Waits for the scheduler's refusal. With rsocket-java the {@code REJECTED_SETUP} frame ends the
     * connection: its {@code onClose()} errors with {@link RejectedSetupException}.
     *
     * @return the protocol error the refusal carries
     */
    public static ProtocolException rejectionOf(RSocket connection) {
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        StepVerifier.create(connection.onClose())
                .expectErrorSatisfies(refusal::set)
                .verify(Duration.ofSeconds(5));
        assertThat(refusal.get()).isInstanceOf(RejectedSetupException.class);
        return ProtocolException.fromWire(refusal.get().getMessage());
    }

    private byte[] metadata() {
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        CompositeByteBuf composite = allocator.compositeBuffer();
        try {
            if (route != null) {
                CompositeMetadataCodec.encodeAndAddMetadata(composite, allocator,
                        WellKnownMimeType.MESSAGE_RSOCKET_ROUTING,
                        TaggingMetadataCodec.createRoutingMetadata(allocator, List.of(route)).getContent());
            }
            if (token != null) {
                CompositeMetadataCodec.encodeAndAddMetadata(composite, allocator,
                        WellKnownMimeType.MESSAGE_RSOCKET_AUTHENTICATION,
                        AuthMetadataCodec.encodeBearerMetadata(allocator, token.toCharArray()));
            }
            byte[] bytes = new byte[composite.readableBytes()];
            composite.readBytes(bytes);
            return bytes;
        } finally {
            composite.release();
        }
    }
}
