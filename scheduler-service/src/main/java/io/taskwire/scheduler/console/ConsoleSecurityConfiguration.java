package io.taskwire.scheduler.console;

import io.taskwire.scheduler.security.AuthenticationFailures;
import io.taskwire.scheduler.security.Roles;
import io.taskwire.scheduler.security.SecurityProperties;
import io.taskwire.scheduler.security.TokenAuthenticator;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The console's side of HTTP, ahead of the API's stateless chain: people log in once with a client
 * token, which may act, or a viewer token, which only reads; a worker token opens nothing. The
 * session is a cookie (HttpOnly, SameSite=Strict, see {@code server.servlet.session.cookie}), every
 * change is a POST that carries the session's CSRF token, and the token itself never appears in a
 * URL or a page. A rejected token counts against its address as on the API
 * ({@link AuthenticationFailures}). Without tokens ({@code taskwire.security.insecure}) the console
 * is open like the API.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    static final String LOGIN = "/console/login";
    /** The page that says why a request was refused (403). */
    static final String DENIED = "/console/denied";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain taskwireConsoleSecurity(HttpSecurity http, TokenAuthenticator tokens,
                                                AuthenticationFailures failures, SecurityProperties properties)
            throws Exception {
        http.securityMatcher("/console", "/console/**", "/webjars/**")
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")));
        if (properties.insecure()) {
            return http.authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll()).build();
        }
        return http
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(LOGIN, DENIED, "/webjars/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**").hasAnyRole(Roles.CLIENT, Roles.VIEWER)
                        .anyRequest().hasRole(Roles.CLIENT))
                .authenticationManager(new ProviderManager(new ConsoleLogin(tokens, failures)))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(toLogin())
                        .accessDeniedHandler(ConsoleSecurityConfiguration::denied))
                .formLogin(form -> form.loginPage(LOGIN).loginProcessingUrl(LOGIN)
                        .usernameParameter("user").passwordParameter("token")
                        .defaultSuccessUrl("/console", true).failureUrl(LOGIN + "?error").permitAll())
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl(LOGIN + "?logout")
                        .deleteCookies("JSESSIONID"))
                .build();
    }

    /**
     * Sends a request without a live session to the login page. A page's own htmx request (a
     * table's reload) gets 401 and {@code HX-Redirect}, so that htmx takes the whole page there:
     * a redirect would be followed inside the request and the login form swapped into the page.
     */
    private static AuthenticationEntryPoint toLogin() {
        LinkedHashMap<RequestMatcher, AuthenticationEntryPoint> byRequest = new LinkedHashMap<>();
        byRequest.put(new RequestHeaderRequestMatcher("HX-Request", "true"), (request, response, failure) -> {
            response.setHeader("HX-Redirect", LOGIN);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        });
        DelegatingAuthenticationEntryPoint toLogin = new DelegatingAuthenticationEntryPoint(byRequest);
        toLogin.setDefaultEntryPoint(new LoginUrlAuthenticationEntryPoint(LOGIN));
        return toLogin;
    }

    /**
     * A refused request (a viewer's change, a form without its session's CSRF token) gets a page
     * that says why, with status 403, rather than the API's problem+json.
     */
    private static void denied(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        request.setAttribute(ConsoleController.REFUSAL, denied instanceof CsrfException ? "form" : "role");
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        request.getRequestDispatcher(DENIED).forward(request, response);
    }

    /** Checks the token typed in the login form as the API checks a bearer token. */
    private record ConsoleLogin(TokenAuthenticator tokens, AuthenticationFailures failures)
            implements org.springframework.security.authentication.AuthenticationProvider {

        @Override
        public Authentication authenticate(Authentication login) {
            String address = login.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : "";
            if (failures.refuses(address)) {
                throw new BadCredentialsException(failures.refusal());
            }
            String token = login.getCredentials() == null ? "" : login.getCredentials().toString().trim();
            try {
                if (token.isEmpty()) {
                    throw new BadCredentialsException("no token given");
                }
                Authentication user = tokens.authenticate(new BearerTokenAuthenticationToken(token));
                if (!Roles.granted(user, Roles.CLIENT) && !Roles.granted(user, Roles.VIEWER)) {
                    throw new BadCredentialsException("a worker token does not open the console");
                }
                return user;
            } catch (AuthenticationException rejected) {
                failures.failed(address);
                throw rejected;
            }
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
