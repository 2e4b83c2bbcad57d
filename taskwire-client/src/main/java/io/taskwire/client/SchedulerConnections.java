package io.taskwire.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * One multiplexed RSocket connection to the scheduler that leads, out of a list of addresses.
 * It is dialed on first use and again after it closes. A dial that fails, and a connection whose
 * SETUP is refused because that scheduler is a standby, move on to the next address, so the
 * client finds the leader by trying the addresses in turn (PROTOCOL.md section 7).
 *
 * <p>Spring's {@code RSocketRequester} keeps a failed connection attempt and answers every later
 * request with its error; this class forgets a failed dial, so the next request dials again.
 */
final class SchedulerConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchedulerConnections.class);

    /** A live connection and the address it went to. */
    record Connection(SchedulerAddress address, RSocket rsocket) {
    }

    private final List<SchedulerAddress> addresses;
    private final ClientSettings settings;
    private final byte[] hello;
    /** The connection in use; null while none is. */
    private volatile Connection live;
    /** The dial in progress, which concurrent callers join; null while none is. */
    private Mono<Connection> dialing;
    /** The address dialed next. */
    private int next;
    private volatile boolean closed;

    SchedulerConnections(ClientSettings settings) {
        this.settings = settings;
        this.addresses = settings.addresses();
        this.hello = Json.write(new ClientHello(Protocol.VERSION, settings.clientId()))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * @return at each subscription (a retry subscribes again): the live connection, or one dialed
     *         then at the current address
     */
    Mono<Connection> connection() {
        return Mono.defer(() -> {
            Connection connection = live;
            return connection != null && !connection.rsocket().isDisposed() ? Mono.just(connection) : dialOrJoin();
        });
    }

    private synchronized Mono<Connection> dialOrJoin() {
        if (closed) {
            return Mono.error(new ClientClosedException());
        }
        Connection connection = live;
        if (connection != null && !connection.rsocket().isDisposed()) {
            return Mono.just(connection);
        }
        if (dialing == null) {
            SchedulerAddress address = addresses.get(next);
            dialing = dial(address)
                    .doOnNext(this::connected)
                    .doOnError(failed -> dialFailed(address, failed))
                    .cache();
        }
        return dialing;
    }

    private synchronized void connected(Connection connection) {
        dialing = null;
        if (closed) {
            connection.rsocket().dispose();
            return;
        }
        live = connection;
        log.debug("Connected to the scheduler at {}", connection.address());
    }

    private synchronized void dialFailed(SchedulerAddress address, Throwable failed) {
        dialing = null;
        next = (next + 1) % addresses.size();
        log.debug("Could not connect to the scheduler at {} ({}); next: {}", address, failed.toString(), addresses.get(next));
    }

    /**
     * Forgets a connection that failed.
     *
     * @param connection the connection
     * @param moveOn whether the next dial goes to the next address (this one is a standby, or unreachable)
     */
    synchronized void drop(Connection connection, boolean moveOn) {
        if (live == connection) {
            live = null;
            if (moveOn) {
                next = (next + 1) % addresses.size();
            }
        }
        connection.rsocket().dispose();
    }

    /** @return the address of the live connection, or null while there is none */
    SchedulerAddress connectedTo() {
        Connection connection = live;
        return connection == null || connection.rsocket().isDisposed() ? null : connection.address();
    }

    private Mono<Connection> dial(SchedulerAddress address) {
        TcpClient tcp = TcpClient.create()
                .host(address.host())
                .port(address.port())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis());
        if (settings.sslContext() != null) {
            // the scheduler's certificate must name the host dialed
            tcp = tcp.secure(spec -> spec.sslContext(settings.sslContext()).handlerConfigurator(handler -> {
                SSLEngine engine = handler.engine();
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(parameters);
            }));
        }
        return RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .setupPayload(Mono.fromSupplier(this::setup))
                .keepAlive(settings.keepAliveInterval(), settings.keepAliveMaxLifetime())
                .fragment(Protocol.FRAGMENT_SIZE_BYTES)
                .interceptors(settings.interceptors())
                .connect(TcpClientTransport.create(tcp))
                .map(rsocket -> new Connection(address, rsocket));
    }

    private Payload setup() {
        ByteBuf data = Unpooled.wrappedBuffer(hello);
        return ByteBufPayload.create(data, settings.metadata(RouteMetadata.encodeSetup(Routes.CLIENT_CONNECT,
                settings.token()), Routes.CLIENT_CONNECT, data));
    }

    @Override
    public void close() {
        Connection connection;
        synchronized (this) {
            closed = true;
            connection = live;
            live = null;
        }
        if (connection != null) {
            connection.rsocket().dispose();
        }
    }

    /** Every request after {@link #close()} fails with this. */
    static final class ClientClosedException extends IllegalStateException {
        ClientClosedException() {
            super("the Taskwire client is closed");
        }
    }
}
