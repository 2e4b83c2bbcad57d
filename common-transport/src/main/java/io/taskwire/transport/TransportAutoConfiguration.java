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
import org.springframework.http.codec.json.Jackson2JsonDecoder;
import org.springframework.http.codec.json.Jackson2JsonEncoder;

/**
 * RSocket codecs that speak the protocol's JSON only ({@link Json#mapper()}, whatever the
 * application's own ObjectMapper is), with a decoding limit large enough for the protocol's largest
 * request; and, unless {@code taskwire.transport.json.spring-mapper=false} (which the Spring Boot
 * starter sets, so that an application's own JSON is left alone), the same settings on Boot's
 * ObjectMapper for the HTTP API.
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
    @ConditionalOnProperty(name = "taskwire.transport.json.spring-mapper", havingValue = "true", matchIfMissing = true)
    Jackson2ObjectMapperBuilderCustomizer taskwireJson() {
        return builder -> builder.postConfigurer(Json::configure);
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    RSocketStrategiesCustomizer taskwireJsonOnly() {
        return strategies -> {
            strategies.encoders(encoders -> {
                encoders.removeIf(encoder -> encoder instanceof Jackson2CborEncoder || encoder instanceof Jackson2JsonEncoder);
                encoders.add(new Jackson2JsonEncoder(Json.mapper()));
            });
            strategies.decoders(decoders -> {
                decoders.removeIf(decoder -> decoder instanceof Jackson2CborDecoder || decoder instanceof Jackson2JsonDecoder);
                Jackson2JsonDecoder json = new Jackson2JsonDecoder(Json.mapper());
                json.setMaxInMemorySize(DECODER_LIMIT_BYTES);
                decoders.add(json);
            });
        };
    }
}
