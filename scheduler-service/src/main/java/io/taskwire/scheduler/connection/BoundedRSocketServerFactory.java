package io.taskwire.scheduler.connection;

import io.rsocket.SocketAcceptor;
import io.rsocket.transport.ServerTransport;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.boot.rsocket.netty.NettyRSocketServer;
import org.springframework.boot.rsocket.netty.NettyRSocketServerFactory;
import org.springframework.boot.rsocket.server.RSocketServer;
import org.springframework.boot.rsocket.server.RSocketServerCustomizer;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.embedded.netty.SslServerCustomizer;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerSslBundle;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.util.unit.DataSize;
import reactor.netty.tcp.TcpServer;

/**
 * Spring Boot's Netty RSocket server factory with the TCP transport Taskwire needs, which Boot's own
 * does not let one set: RSocket's frame decoder limited to the payload limit plus the margin
 * (Boot's is 16 MiB), and a {@link FrameBudget} before it and a {@link SendBacklog} count in every
 * connection's pipeline. Everything
 * else (address, port, TLS from an SSL bundle, fragmentation, the customizers) is applied as Boot
 * applies it. Only the TCP transport is offered: the protocol is RSocket over TCP.
 */
final class BoundedRSocketServerFactory extends NettyRSocketServerFactory {

    private final FrameBudget.Shared budget;
    private final SendBacklog backlog;
    private final int maxFrameBytes;
    private int port = 9898;
    private InetAddress address;
    private DataSize fragmentSize;
    private Ssl ssl;
    private SslBundles sslBundles;
    private ReactorResourceFactory resourceFactory;
    private Duration lifecycleTimeout;
    private final List<RSocketServerCustomizer> customizers = new ArrayList<>();

    BoundedRSocketServerFactory(FrameBudget.Shared budget, SendBacklog backlog, int maxFrameBytes) {
        this.budget = budget;
        this.backlog = backlog;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public NettyRSocketServer create(SocketAcceptor socketAcceptor) {
        io.rsocket.core.RSocketServer server = io.rsocket.core.RSocketServer.create(socketAcceptor);
        if (fragmentSize != null) {
            server.fragment((int) fragmentSize.toBytes());
        }
        customizers.forEach(customizer -> customizer.customize(server));
        return new NettyRSocketServer(server.bind(transport()), lifecycleTimeout);
    }

    private ServerTransport<CloseableChannel> transport() {
        TcpServer tcp = TcpServer.create();
        if (resourceFactory != null) {
            tcp = tcp.runOn(resourceFactory.getLoopResources());
        }
        if (Ssl.isEnabled(ssl)) {
            tcp = new TcpSsl(ssl.getClientAuth(), WebServerSslBundle.get(ssl, sslBundles), getServerNameSslBundles())
                    .apply(tcp);
        }
        tcp = tcp.doOnConnection(connection -> connection
                .addHandlerFirst(FrameBudget.NAME, budget.newConnection())
                .addHandlerFirst(SendBacklog.Count.NAME, backlog.newConnection(connection.channel())));
        return TcpServerTransport.create(tcp.bindAddress(this::listenAddress), maxFrameBytes);
    }

    private InetSocketAddress listenAddress() {
        return address != null ? new InetSocketAddress(address.getHostAddress(), port) : new InetSocketAddress(port);
    }

    @Override
    public void setTransport(RSocketServer.Transport transport) {
        if (transport != RSocketServer.Transport.TCP) {
            throw new IllegalArgumentException("spring.rsocket.server.transport must be tcp for Taskwire, was " + transport);
        }
        super.setTransport(transport);
    }

    @Override
    public void setPort(int port) {
        super.setPort(port);
        this.port = port;
    }

    @Override
    public void setAddress(InetAddress address) {
        super.setAddress(address);
        this.address = address;
    }

    @Override
    public void setFragmentSize(DataSize fragmentSize) {
        super.setFragmentSize(fragmentSize);
        this.fragmentSize = fragmentSize;
    }

    @Override
    public void setSsl(Ssl ssl) {
        super.setSsl(ssl);
        this.ssl = ssl;
    }

    @Override
    public void setSslBundles(SslBundles sslBundles) {
        super.setSslBundles(sslBundles);
        this.sslBundles = sslBundles;
    }

    @Override
    public void setResourceFactory(ReactorResourceFactory resourceFactory) {
        super.setResourceFactory(resourceFactory);
        this.resourceFactory = resourceFactory;
    }

    @Override
    public void setLifecycleTimeout(Duration lifecycleTimeout) {
        super.setLifecycleTimeout(lifecycleTimeout);
        this.lifecycleTimeout = lifecycleTimeout;
    }

    @Override
    public void setRSocketServerCustomizers(Collection<? extends RSocketServerCustomizer> rSocketServerCustomizers) {
        super.setRSocketServerCustomizers(rSocketServerCustomizers);
        customizers.clear();
        customizers.addAll(rSocketServerCustomizers);
    }

    @Override
    public void addRSocketServerCustomizers(RSocketServerCustomizer... rSocketServerCustomizers) {
        super.addRSocketServerCustomizers(rSocketServerCustomizers);
        customizers.addAll(List.of(rSocketServerCustomizers));
    }

    /** Boot's TLS setup for a Reactor Netty server, applied to a TCP server as Boot's factory does. */
    private static final class TcpSsl extends SslServerCustomizer {

        private final SslBundle bundle;

        private TcpSsl(Ssl.ClientAuth clientAuth, SslBundle bundle, Map<String, SslBundle> serverNameBundles) {
            super(null, clientAuth, bundle, serverNameBundles);
            this.bundle = bundle;
        }

        private TcpServer apply(TcpServer server) {
            var spec = createSslContextSpec(bundle);
            return server.secure(secure -> secure.sslContext(spec));
        }
    }
}
