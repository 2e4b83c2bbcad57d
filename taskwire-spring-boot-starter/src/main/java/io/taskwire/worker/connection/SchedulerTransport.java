package io.taskwire.worker.connection;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.rsocket.transport.ClientTransport;
import io.rsocket.transport.netty.client.TcpClientTransport;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import reactor.netty.tcp.TcpClient;

/**
 * The TCP connection to the scheduler, with TLS when configured. Spring Boot configures TLS for
 * servers but not for an RSocket client, so this builds it from the SSL bundle, and turns on
 * hostname verification, which Netty leaves off for raw TCP.
 */
public final class SchedulerTransport {

    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final ConnectionProperties.Scheduler scheduler;
    private final SslContext ssl;

    /**
     * @param scheduler where to dial, and TLS
     * @param bundles where the TLS bundle is looked up
     */
    public SchedulerTransport(ConnectionProperties.Scheduler scheduler, SslBundles bundles) {
        this.scheduler = scheduler;
        this.ssl = scheduler.tls().enabled() ? clientSslContext(bundles.getBundle(scheduler.tls().bundle())) : null;
    }

    /**
     * @return a new transport to that scheduler, each dial its own connection; with TLS its
     *         certificate must carry the address's host
     */
    public ClientTransport create(ConnectionProperties.Scheduler.Address address) {
        TcpClient tcp = TcpClient.newConnection().host(address.host()).port(address.port())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(scheduler.connectTimeout().toMillis()));
        if (ssl != null) {
            tcp = tcp.secure(spec -> spec.sslContext(ssl).handlerConfigurator(handler -> {
                SSLEngine engine = handler.engine();
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(parameters);
            }));
        }
        return TcpClientTransport.create(tcp);
    }

    boolean secure() {
        return ssl != null;
    }

    /**
     * @param bundle a Spring SSL bundle: its truststore holds the CA, its keystore (when set) the
     *               client's certificate for mutual TLS
     * @return a Netty client context from it; the Spring Boot starter's client uses it too
     */
    public static SslContext clientSslContext(SslBundle bundle) {
        SslOptions options = bundle.getOptions();
        String[] protocols = options.getEnabledProtocols() != null ? options.getEnabledProtocols()
                : DEFAULT_PROTOCOLS.toArray(String[]::new);
        try {
            return SslContextBuilder.forClient()
                    .keyManager(bundle.getManagers().getKeyManagerFactory())
                    .trustManager(bundle.getManagers().getTrustManagerFactory())
                    .protocols(protocols)
                    .ciphers(options.getCiphers() == null ? null : List.of(options.getCiphers()))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build TLS from the SSL bundle: " + e.getMessage(), e);
        }
    }
}
