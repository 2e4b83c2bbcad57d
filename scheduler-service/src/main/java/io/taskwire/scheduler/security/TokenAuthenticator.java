package io.taskwire.scheduler.security;

import io.taskwire.transport.SubscriptionLifecycle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Checks bearer tokens, for RSocket SETUP and HTTP alike, against {@link SecurityProperties}: the
 * configured lists plus, when {@code tokens-dir} is set, the files there, read again every
 * {@code reload-interval} so that tokens rotate without a restart. A token that passes becomes an
 * authentication named after its position ({@code worker-token-2}, never the token) with the role's
 * authority. Without tokens for both roles the scheduler does not start, unless {@code insecure}.
 */
public class TokenAuthenticator extends SubscriptionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);
    static final String WORKER_FILE = "worker-tokens";
    static final String CLIENT_FILE = "client-tokens";
    static final String VIEWER_FILE = "viewer-tokens";

    private final SecurityProperties properties;
    private final Tokens configured;
    private volatile Tokens tokens;

    TokenAuthenticator(SecurityProperties properties) {
        this.properties = properties;
        this.configured = Tokens.of(properties.workerTokens(), properties.clientTokens(), properties.viewerTokens(),
                "taskwire.security");
        this.tokens = properties.tokensDir() == null ? configured : withDir();
        if (!properties.insecure() && (!tokens.has(Roles.WORKER) || !tokens.has(Roles.CLIENT))) {
            throw new MissingCredentialsException(!tokens.has(Roles.WORKER), !tokens.has(Roles.CLIENT));
        }
    }

    /**
     * @param authentication a bearer token from SETUP metadata or an {@code Authorization} header
     * @return the authenticated identity with its role
     * @throws BadCredentialsException when the token is not one this scheduler accepts
     */
    public Authentication authenticate(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            throw new BadCredentialsException("only bearer tokens are accepted");
        }
        Tokens.Credential match = tokens.match(bearer.getToken());
        if (match == null) {
            throw new BadCredentialsException("the bearer token is not one this scheduler accepts");
        }
        return UsernamePasswordAuthenticationToken.authenticated(match.name(), null,
                AuthorityUtils.createAuthorityList("ROLE_" + match.role()));
    }

    @Override
    protected Disposable subscribe() {
        if (properties.tokensDir() == null) {
            return Flux.never().subscribe();
        }
        return Flux.interval(properties.reloadInterval(), properties.reloadInterval(), Schedulers.boundedElastic())
                .subscribe(tick -> reload());
    }

    private void reload() {
        try {
            Tokens next = withDir();
            for (String role : List.of(Roles.WORKER, Roles.CLIENT)) {
                if (!next.has(role) && tokens.has(role)) {
                    log.warn("{} holds no {} token any more: no {} can connect until one is added",
                            properties.tokensDir(), role.toLowerCase(java.util.Locale.ROOT), role.toLowerCase(java.util.Locale.ROOT));
                }
            }
            tokens = next;
        } catch (RuntimeException e) {
            log.error("Kept the previous tokens: could not read {}: {}", properties.tokensDir(), e.getMessage());
        }
    }

    private Tokens withDir() {
        return configured.plus(readDir(), "taskwire.security and " + properties.tokensDir());
    }

    private Tokens readDir() {
        Path dir = properties.tokensDir();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("taskwire.security.tokens-dir " + dir + " is not a directory");
        }
        return Tokens.of(readFile(dir.resolve(WORKER_FILE)), readFile(dir.resolve(CLIENT_FILE)),
                readFile(dir.resolve(VIEWER_FILE)), dir.toString());
    }

    private static List<String> readFile(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Tokens.clean(Arrays.asList(Files.readString(file, StandardCharsets.UTF_8).split("[,\\s]+")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
