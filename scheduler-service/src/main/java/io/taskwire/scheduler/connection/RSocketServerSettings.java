package io.taskwire.scheduler.connection;

import io.micrometer.core.instrument.MeterRegistry;
import io.rsocket.core.Resume;
import io.rsocket.plugins.RSocketInterceptor;
import io.rsocket.plugins.SocketAcceptorInterceptor;
import io.taskwire.transport.MeteredRSocket;
import io.taskwire.transport.RSocketMetrics;
import io.taskwire.messages.Protocol;
import io.taskwire.transport.TransportProperties;
import io.taskwire.transport.signing.MessageSigner;
import org.springframework.beans.factory.ObjectProvider;
import io.taskwire.scheduler.security.SecurityProperties;
import org.springframework.security.rsocket.core.PayloadSocketAcceptorInterceptor;
import java.time.Duration;
import org.springframework.boot.rsocket.server.RSocketServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scheduler's RSocket server as the protocol wants it: a SETUP within 5 s, reassembled requests
 * bounded, and every connection behind the {@link SetupGuard} and Spring Security's token check.
 * (Spring Boot's own RSocket security customizer is left out in {@code SchedulerApplication}: it
 * would install the same interceptor outside the SETUP checks.)
 */
@Configuration(proxyBeanMethods = false)
class RSocketServerSettings {

    /** Reassembly stops here; between the payload limit and this, requests get a clean error. */
    static final int MAX_INBOUND_PAYLOAD_BYTES = 16 * 1024 * 1024;

    @Bean
    RSocketServerCustomizer taskwireServer(TransportProperties transport, RSocketMetrics metrics,
                                           MeterRegistry meters, PayloadSocketAcceptorInterceptor security,
                                           SecurityProperties securityProperties,
                                           ObjectProvider<MessageSigner> signing) {
        MessageSigner signer = signing.getIfAvailable();
        return server -> server
                .resume(transport.resume().enabled()
                        ? new Resume().sessionDuration(transport.resume().sessionDuration()) : null)
                .maxTimeToFirstFrame(Duration.ofMillis(Protocol.SETUP_DEADLINE_MS))
                .maxInboundPayloadSize(MAX_INBOUND_PAYLOAD_BYTES)
                .interceptors(registry -> registry
                        .forRequester((RSocketInterceptor) requester -> MeteredRSocket.requester(requester, metrics, signer))
                        // applied in order, each wrapping the last: Spring Security inside, the SETUP checks outermost
                        .forSocketAcceptor(security)
                        .forSocketAcceptor((SocketAcceptorInterceptor) acceptor -> new SetupGuard(acceptor,
                                transport.maxPayloadBytes(), !securityProperties.insecure(), signer, metrics, meters)));
    }
}
