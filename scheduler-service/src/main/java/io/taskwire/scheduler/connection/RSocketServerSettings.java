package io.taskwire.scheduler.connection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.netty.buffer.PooledByteBufAllocator;
import io.rsocket.core.Resume;
import io.rsocket.plugins.RSocketInterceptor;
import io.rsocket.plugins.SocketAcceptorInterceptor;
import io.taskwire.transport.MeteredRSocket;
import io.taskwire.transport.RSocketMetrics;
import io.taskwire.messages.Protocol;
import io.taskwire.transport.TransportProperties;
import io.taskwire.transport.signing.MessageSigner;
import org.springframework.beans.factory.ObjectProvider;
import io.taskwire.scheduler.heartbeat.HeartbeatBudget;
import io.taskwire.scheduler.leadership.Leadership;
import io.taskwire.scheduler.security.AuthenticationFailures;
import io.taskwire.scheduler.security.SecurityProperties;
import org.springframework.security.rsocket.core.PayloadSocketAcceptorInterceptor;
import java.time.Duration;
import org.springframework.boot.autoconfigure.rsocket.RSocketProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.rsocket.server.RSocketServerCustomizer;
import org.springframework.boot.rsocket.server.RSocketServerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scheduler's RSocket server as the protocol wants it: a SETUP within 5 s, every frame and every
 * reassembled request bounded ({@link InboundLimits}: {@link FrameBudget} in the pipeline,
 * {@link FragmentBudget} on each connection), what a peer leaves unread bounded ({@link SendBacklog}),
 * and every connection behind the {@link SetupGuard}
 * and Spring Security's token check. (Spring Boot's own RSocket security customizer is left out in
 * {@code SchedulerApplication}: it would install the same interceptor outside the SETUP checks.)
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InboundLimits.class)
class RSocketServerSettings {

    /** Boot's factory, configured as Boot's auto-configuration does, with the bounded TCP transport. */
    @Bean
    RSocketServerFactory rSocketServerFactory(RSocketProperties properties, ReactorResourceFactory resourceFactory,
                                              ObjectProvider<RSocketServerCustomizer> customizers,
                                              ObjectProvider<SslBundles> sslBundles, InboundLimits limits,
                                              TransportProperties transport, AuthenticationFailures authentication,
                                              SendBacklog backlog, MeterRegistry meters) {
        BoundedRSocketServerFactory factory = new BoundedRSocketServerFactory(
                new FrameBudget.Shared(limits, transport.maxPayloadBytes(), authentication, meters), backlog,
                limits.maxRequestBytes(transport.maxPayloadBytes()));
        factory.setResourceFactory(resourceFactory);
        factory.setTransport(properties.getServer().getTransport());
        PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
        map.from(properties.getServer().getAddress()).to(factory::setAddress);
        map.from(properties.getServer().getPort()).to(factory::setPort);
        map.from(properties.getServer().getFragmentSize()).to(factory::setFragmentSize);
        map.from(properties.getServer().getSsl()).to(factory::setSsl);
        factory.setSslBundles(sslBundles.getIfAvailable());
        factory.setRSocketServerCustomizers(customizers.orderedStream().toList());
        return factory;
    }

    /**
     * Netty's pooled buffers, where the RSocket port's frames live ({@code netty.allocator.*}): what
     * the pool holds from the JVM's direct memory, and what buffers in use pin of it.
     */
    @Bean
    MeterBinder nettyAllocatorMetrics() {
        return new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT);
    }

    @Bean
    SendBacklog sendBacklog(InboundLimits limits, MeterRegistry meters) {
        return new SendBacklog(limits, meters);
    }

    @Bean
    RSocketServerCustomizer taskwireServer(TransportProperties transport, RSocketMetrics metrics,
                                           MeterRegistry meters, PayloadSocketAcceptorInterceptor security,
                                           SecurityProperties securityProperties, InboundLimits limits,
                                           SendBacklog backlog, ObjectProvider<MessageSigner> signing,
                                           HeartbeatBudget heartbeats, Leadership leadership) {
        MessageSigner signer = signing.getIfAvailable();
        return server -> server
                .resume(transport.resume().enabled()
                        ? new Resume().sessionDuration(transport.resume().sessionDuration()) : null)
                .maxTimeToFirstFrame(Duration.ofMillis(Protocol.SETUP_DEADLINE_MS))
                // FragmentBudget refuses a request before RSocket's own reassembly limit is reached
                .maxInboundPayloadSize(limits.maxRequestBytes(transport.maxPayloadBytes()))
                .interceptors(registry -> registry
                        // innermost, so that it counts every frame sent, the refusals of FragmentBudget too
                        .forConnection(backlog.interceptor())
                        .forConnection(FragmentBudget.interceptor(limits, transport.maxPayloadBytes(), meters))
                        .forRequester((RSocketInterceptor) requester -> MeteredRSocket.requester(requester, metrics, signer))
                        // applied in order, each wrapping the last: Spring Security inside, the SETUP checks outermost
                        .forSocketAcceptor(security)
                        .forSocketAcceptor((SocketAcceptorInterceptor) acceptor -> new SetupGuard(acceptor,
                                transport.maxPayloadBytes(), !securityProperties.insecure(), signer, metrics, meters, heartbeats,
                                leadership)));
    }
}
