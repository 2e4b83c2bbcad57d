package io.taskwire.scheduler.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskwire.messages.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The HTTP side: the API and every exposed actuator endpoint but health, info and prometheus need a
 * client token as {@code Authorization: Bearer}; a viewer token reads the API ({@code GET}) and
 * nothing else. A path under the actuator's base path that is not an exposed endpoint ({@code env},
 * {@code heapdump}, a typo) is 404 for every caller, token or not: it does not exist, so there is
 * nothing to guard. Any other path needs the client token too (and is then 404 if nothing serves
 * it). The API's description ({@code /v3/api-docs}, {@code /swagger-ui.html}) needs no token.
 * Refusals are problem+json like the API's other errors: 401 {@code UNAUTHORIZED} (no token, or one
 * not accepted), 403 {@code FORBIDDEN} (a worker token, which grants no HTTP call, or a viewer token
 * on anything but a read of the API), 429 {@code AT_CAPACITY} for a token from an address with too
 * many rejected ones ({@link AuthenticationFailures}). Stateless: no session, no cookie, so no CSRF
 * surface. The same filter chain guards the management port.
 */
@Configuration(proxyBeanMethods = false)
class HttpSecurityConfiguration {

    @Bean
    SecurityFilterChain taskwireHttpSecurity(HttpSecurity http, TokenAuthenticator tokens, SecurityProperties properties,
                                             WebEndpointProperties actuator, AuthenticationFailures failures,
                                             ObjectMapper json) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        if (properties.insecure()) {
            return http.authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll()).build();
        }
        return http
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Roles.CLIENT)
                        // not an exposed endpoint: the actuator answers 404 to everyone
                        .requestMatchers(actuator.getBasePath() + "/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        // a viewer token reads the API and changes nothing
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(Roles.CLIENT, Roles.VIEWER)
                        // the API's description (OpenAPI and Swagger UI) is public, like the README; the
                        // calls it describes are not
                        .requestMatchers("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**")
                        .permitAll()
                        .anyRequest().hasRole(Roles.CLIENT))
                .addFilterBefore(new RefusedAddresses(failures, json), BearerTokenAuthenticationFilter.class)
                .oauth2ResourceServer(bearer -> bearer
                        .authenticationManagerResolver(request -> tokens::authenticate)
                        .authenticationEntryPoint((request, response, failure) -> {
                            if (!(failure instanceof InsufficientAuthenticationException)) {
                                failures.failed(request.getRemoteAddr());
                            }
                            unauthorized(response, failure, json);
                        })
                        .accessDeniedHandler((request, response, denied) -> problem(response, json,
                                HttpServletResponse.SC_FORBIDDEN, ErrorCode.FORBIDDEN, forbidden(request))))
                .build();
    }

    /**
     * Turns away, before its token is checked, a call that carries a token from an address that
     * presented too many rejected ones: 429 {@code AT_CAPACITY}. Calls without a token (the probes)
     * pass.
     */
    private static final class RefusedAddresses extends OncePerRequestFilter {

        private final AuthenticationFailures failures;
        private final ObjectMapper json;

        private RefusedAddresses(AuthenticationFailures failures, ObjectMapper json) {
            this.failures = failures;
            this.json = json;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getHeader(HttpHeaders.AUTHORIZATION) != null && failures.refuses(request.getRemoteAddr())) {
                problem(response, json, HttpStatus.TOO_MANY_REQUESTS.value(), ErrorCode.AT_CAPACITY, failures.refusal());
                return;
            }
            chain.doFilter(request, response);
        }
    }

    /** @return why the authenticated caller may not make this call, by its role */
    private static String forbidden(HttpServletRequest request) {
        return request.isUserInRole(Roles.VIEWER)
                ? "this needs a client token; a viewer token only reads (GET /api/...)"
                : "this needs a client token; a worker token does not grant it";
    }

    private static void unauthorized(HttpServletResponse response, AuthenticationException failure, ObjectMapper json)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        String detail = failure instanceof InsufficientAuthenticationException || failure.getMessage() == null
                ? "this needs a client token: send it as Authorization: Bearer <token>"
                : failure.getMessage();
        problem(response, json, HttpServletResponse.SC_UNAUTHORIZED, ErrorCode.UNAUTHORIZED, detail);
    }

    private static void problem(HttpServletResponse response, ObjectMapper json, int status, ErrorCode code,
                                String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", code.name());
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code.name());
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
