package io.taskwire.bench.soak;

import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.bench.JsonPayloads;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.netty.tcp.TcpClient;

/**
 * A client that sends JSON {@code null} as the data of {@code task.submit}
 * (request-response) and of {@code task.submit.oneway} (fire-and-forget) on one connection.
 */
final class NullRequests extends Attack {

    private final int port;
    private final String clientToken;
    private final double perSecond;
    private RSocket connection;

    NullRequests(String sourceAddress, int port, String clientToken, double perSecond) {
        super("null requests", sourceAddress);
        this.port = port;
        this.clientToken = clientToken;
        this.perSecond = perSecond;
    }

    @Override
    String description() {
        return String.format("%.0f task.submit/s and %.0f task.submit.oneway/s with the data null, one client connection",
                perSecond, perSecond);
    }

    @Override
    void start() {
        TcpClient tcp = TcpClient.newConnection().host("127.0.0.1").port(port)
                .bindAddress(() -> new InetSocketAddress(sourceAddress(), 0));
        connection = RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .setupPayload(JsonPayloads.of(RouteMetadata.encodeSetup(Routes.CLIENT_CONNECT, clientToken),
                        new ClientHello(Protocol.VERSION, "soak-null")))
                .connect(TcpClientTransport.create(tcp))
                .block(Duration.ofSeconds(10));
        paced("request-response", perSecond, () -> connection.requestResponse(nullTo(Routes.TASK_SUBMIT))
                .subscribe(Payload::release, this::failed));
        paced("fire-and-forget", perSecond, () -> connection.fireAndForget(nullTo(Routes.TASK_SUBMIT_ONEWAY))
                .subscribe(sent -> { }, this::failed, () -> count("task.submit.oneway sent")));
    }

    private void failed(Throwable error) {
        String message = String.valueOf(error.getMessage());
        count(message.startsWith("{") ? "task.submit: " + ProtocolException.fromWire(message).code()
                : "task.submit: " + error.getClass().getSimpleName());
    }

    private static Payload nullTo(String route) {
        return ByteBufPayload.create(Unpooled.wrappedBuffer("null".getBytes(StandardCharsets.US_ASCII)),
                RouteMetadata.encode(route));
    }

    @Override
    void stopped() {
        if (connection != null) {
            connection.dispose();
        }
    }
}
