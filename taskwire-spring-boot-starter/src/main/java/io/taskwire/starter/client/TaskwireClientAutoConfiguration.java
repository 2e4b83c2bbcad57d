package io.taskwire.starter.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rsocket.plugins.RSocketInterceptor;
import io.taskwire.client.TaskwireClient;
import io.taskwire.transport.MeteredRSocket;
import io.taskwire.transport.RSocketMetrics;
import io.taskwire.transport.TransportAutoConfiguration;
import io.taskwire.transport.signing.MessageSigner;
import io.taskwire.worker.connection.SchedulerTransport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * {@code taskwire.client.enabled=true} gives the application a {@link TaskwireClient} bean
 * ({@code taskwire.client.*}): it writes payloads and reads outputs with the application's
 * ObjectMapper, signs its SETUP and requests when {@code taskwire.transport.signing.enabled}, counts
 * its calls in {@code taskwire.rsocket.requests} (side {@code requester}), and reports its
 * connection as the {@code taskwireClient} health indicator.
 */
@AutoConfiguration(after = {JacksonAutoConfiguration.class, TransportAutoConfiguration.class, SslAutoConfiguration.class})
@ConditionalOnClass(TaskwireClient.class)
@ConditionalOnProperty(prefix = "taskwire.client", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(TaskwireClientProperties.class)
public class TaskwireClientAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    TaskwireClient taskwireClient(TaskwireClientProperties properties, ObjectProvider<ObjectMapper> mapper,
                                  ObjectProvider<SslBundles> bundles, ObjectProvider<RSocketMetrics> metrics,
                                  ObjectProvider<MessageSigner> signing) {
        if (properties.addresses().isEmpty()) {
            throw new IllegalStateException("taskwire.client.enabled=true needs taskwire.client.addresses "
                    + "(host:port of each scheduler)");
        }
        TaskwireClient.Builder builder = TaskwireClient.builder()
                .addresses(properties.addresses().toArray(String[]::new))
                .token(properties.token() == null || properties.token().isBlank() ? null : properties.token())
                .clientId(properties.clientId())
                .requestTimeout(properties.requestTimeout())
                .connectTimeout(properties.connectTimeout());
        mapper.ifAvailable(builder::objectMapper);
        // taskwire.transport.signing.*, as the worker signs
        signing.ifAvailable(signer -> builder.signer(signer::withSignature));
        metrics.ifAvailable(meters -> builder.interceptors(registry -> registry.forRequester(
                (RSocketInterceptor) requester -> MeteredRSocket.requester(requester, meters, null))));
        if (properties.tls().enabled()) {
            SslBundles available = bundles.getIfAvailable();
            if (available == null || properties.tls().bundle() == null || properties.tls().bundle().isBlank()) {
                throw new IllegalStateException("taskwire.client.tls.enabled=true needs taskwire.client.tls.bundle, "
                        + "the name of a spring.ssl.bundle holding the schedulers' CA");
            }
            builder.tls(SchedulerTransport.clientSslContext(available.getBundle(properties.tls().bundle())));
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("taskwireClient")
    TaskwireClientHealth taskwireClientHealthIndicator(TaskwireClient client) {
        return new TaskwireClientHealth(client);
    }
}
