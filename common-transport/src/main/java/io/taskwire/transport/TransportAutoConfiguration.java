package io.taskwire.transport;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.transport.signing.MessageSigner;
import java.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskwire.messages.Json;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.taskwire.messages.Protocol;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.rsocket.RSocketStrategiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.rsocket.messaging.RSocketStrategiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.core.Ordered;
import org.springframework.http.codec.cbor.Jackson2CborDecoder;
import org.springframework.http.codec.cbor.Jackson2CborEncoder;
import org.springframework.http.codec.json.AbstractJackson2Decoder;

/**
 * Makes Spring's JSON the protocol's JSON: the shared Jackson settings on Boot's ObjectMapper (used
 * by RSocket and HTTP alike), and RSocket codecs that speak JSON only, with a decoding limit large
 * enough for the protocol's largest request.
 */
@AutoConfiguration(before = {JacksonAutoConfiguration.class, RSocketStrategiesAutoConfiguration.class})
@EnableConfigurationProperties({TransportProperties.class, MetricsReportProperties.class})
public class TransportAutoConfiguration {

    /** Decoding limit: the largest request data plus room; the route guard enforces the real limit. */
    static final int DECODER_LIMIT_BYTES = 64 * Protocol.DEFAULT_MAX_PAYLOAD_BYTES;

    @Bean
    RSocketMetrics rsocketMetrics(ObjectProvider<MeterRegistry> registry) {
        return new RSocketMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Present only with {@code taskwire.transport.signing.enabled=true}; its nonces held are a gauge. */
    @Bean
    @ConditionalOnProperty("taskwire.transport.signing.enabled")
    MessageSigner taskwireMessageSigner(TransportProperties properties, ObjectProvider<Clock> clock,
                                        ObjectProvider<MeterRegistry> registry) {
        MessageSigner signer = new MessageSigner(properties.signing(), clock.getIfAvailable(Clock::systemUTC));
        registry.ifAvailable(meters -> Gauge.builder("taskwire.signing.nonces", signer, MessageSigner::noncesHeld)
                .description("Nonces held to refuse replayed signed requests").register(meters));
        return signer;
    }

    @Bean
    @ConditionalOnProperty("taskwire.metrics.report-interval")
    CommunicationReport taskwireCommunicationReport(RSocketMetrics metrics, MetricsReportProperties properties) {
        return new CommunicationReport(metrics.registry(), properties.reportInterval());
    }

    @Bean
    Jackson2ObjectMapperBuilderCustomizer taskwireJson() {
        return builder -> builder.postConfigurer(Json::configure);
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    RSocketStrategiesCustomizer taskwireJsonOnly() {
        return strategies -> {
            strategies.encoders(encoders -> encoders.removeIf(Jackson2CborEncoder.class::isInstance));
            strategies.decoders(decoders -> {
                decoders.removeIf(Jackson2CborDecoder.class::isInstance);
                decoders.stream()
                        .filter(AbstractJackson2Decoder.class::isInstance)
                        .forEach(decoder -> ((AbstractJackson2Decoder) decoder).setMaxInMemorySize(DECODER_LIMIT_BYTES));
            });
        };
    }
}
