package io.taskwire.starter.client;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code taskwire.client.*}: a {@code TaskwireClient} bean for the application.
 *
 * @param enabled whether the application gets a client
 * @param addresses the schedulers as {@code host:port}, tried in turn until one leads
 * @param token the client token (one of the scheduler's {@code taskwire.security.client-tokens});
 *              set it from the environment ({@code TASKWIRE_CLIENT_TOKEN}) or a Secret
 * @param clientId the name the scheduler logs for this client
 * @param requestTimeout how long one call may take, retries at the next scheduler included
 * @param connectTimeout how long one dial may take
 * @param tls TLS to the schedulers
 */
@ConfigurationProperties("taskwire.client")
public record TaskwireClientProperties(@DefaultValue("false") boolean enabled,
                                       @DefaultValue List<String> addresses,
                                       String token,
                                       @DefaultValue("taskwire-client") String clientId,
                                       @DefaultValue("30s") Duration requestTimeout,
                                       @DefaultValue("5s") Duration connectTimeout,
                                       @DefaultValue Tls tls) {

    /**
     * @param enabled whether to dial with TLS
     * @param bundle a {@code spring.ssl.bundle.*} whose truststore holds the schedulers' CA, and whose
     *               keystore, when set, is the client's certificate for mutual TLS
     */
    public record Tls(@DefaultValue("false") boolean enabled, String bundle) {
    }
}
