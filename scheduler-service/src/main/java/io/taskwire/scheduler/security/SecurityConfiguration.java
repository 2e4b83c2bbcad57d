package io.taskwire.scheduler.security;

import io.taskwire.messages.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.annotation.rsocket.EnableRSocketSecurity;
import org.springframework.security.config.annotation.rsocket.RSocketSecurity;
import org.springframework.security.rsocket.authentication.AuthenticationPayloadExchangeConverter;
import org.springframework.security.rsocket.authentication.AuthenticationPayloadInterceptor;
import org.springframework.security.rsocket.api.PayloadExchangeType;
import org.springframework.security.rsocket.core.PayloadSocketAcceptorInterceptor;
import org.springframework.security.config.annotation.rsocket.PayloadInterceptorOrder;
import reactor.core.publisher.Mono;

/**
 * Authentication at SETUP with Spring Security's RSocket support: the bearer token in the SETUP's
 * {@code message/x.rsocket.authentication.v0} metadata is checked by the {@link TokenAuthenticator};
 * {@code worker.connect} needs the worker role and {@code client.connect} the client role. The
 * connection keeps that identity; which routes it may call then follows from its role
 * ({@code SetupGuard}'s route policy answers {@code FORBIDDEN}). The interceptor is installed by
 * {@code RSocketServerSettings}, inside the SETUP checks, so that refusals carry the protocol's JSON.
 */
@Configuration(proxyBeanMethods = false)
@EnableRSocketSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    TokenAuthenticator tokenAuthenticator(SecurityProperties properties) {
        if (properties.insecure()) {
            log.warn("INSECURE DEVELOPMENT MODE (taskwire.security.insecure=true): every worker and client is accepted"
                    + " without a token. Never run a scheduler reachable by others like this.");
        }
        return new TokenAuthenticator(properties);
    }

    /** Also keeps Spring Boot from making a user with a generated password. */
    @Bean
    ReactiveAuthenticationManager rsocketAuthenticationManager(TokenAuthenticator tokens) {
        return authentication -> Mono.fromCallable(() -> tokens.authenticate(authentication));
    }

    @Bean
    PayloadSocketAcceptorInterceptor rsocketSecurity(RSocketSecurity rsocket, ReactiveAuthenticationManager tokens,
                                                     SecurityProperties properties) {
        if (properties.insecure()) {
            return rsocket.authorizePayload(authorize -> authorize.anyExchange().permitAll()).build();
        }
        AuthenticationPayloadInterceptor bearer = new AuthenticationPayloadInterceptor(tokens);
        // the token is read at SETUP only: requests keep the connection's identity, so dispatch replies,
        // heartbeats and results are not parsed for a token each time
        AuthenticationPayloadExchangeConverter setupToken = new AuthenticationPayloadExchangeConverter();
        bearer.setAuthenticationConverter(exchange -> exchange.getType() == PayloadExchangeType.SETUP
                ? setupToken.convert(exchange) : Mono.empty());
        bearer.setOrder(PayloadInterceptorOrder.AUTHENTICATION.getOrder());
        return rsocket.addPayloadInterceptor(bearer)
                .authorizePayload(authorize -> authorize
                        // requests first: matched by frame type alone, no metadata parsing on the hot path
                        .anyRequest().authenticated()
                        .route(Routes.WORKER_CONNECT).hasRole(Roles.WORKER)
                        .route(Routes.CLIENT_CONNECT).hasRole(Roles.CLIENT)
                        .anyExchange().denyAll())
                .build();
    }
}
