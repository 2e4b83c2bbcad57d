package io.taskwire.scheduler.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may connect. Workers, clients and viewers hold separate tokens; each list may hold several tokens at
 * once, so a token is rotated by adding the new one, moving the peers over, then removing the old.
 * There is no default token: without tokens the scheduler does not start, unless {@code insecure}
 * is set for development.
 *
 * @param workerTokens tokens that open {@code worker.connect} (env {@code TASKWIRE_SECURITY_WORKER_TOKENS}, comma-separated)
 * @param clientTokens tokens that open {@code client.connect} and the HTTP API (env {@code TASKWIRE_SECURITY_CLIENT_TOKENS})
 * @param viewerTokens tokens that read the HTTP API ({@code GET}) and change nothing (env
 *        {@code TASKWIRE_SECURITY_VIEWER_TOKENS}); optional
 * @param tokensDir a directory (a mounted Kubernetes Secret) holding files {@code worker-tokens},
 *        {@code client-tokens} and optionally {@code viewer-tokens}, one token per line; re-read every
 *        {@code reloadInterval}, so tokens rotate without a restart. Its tokens add to the lists above
 * @param reloadInterval how often {@code tokensDir} is read again
 * @param insecure development only: accept every connection and HTTP call without a token
 * @param maxFailedAuthentications rejected tokens one address may present within
 *        {@code failedAuthenticationWindow} (RSocket SETUPs and HTTP calls together); past that its
 *        SETUPs and its HTTP calls that carry a token are refused at once ({@code AT_CAPACITY}, HTTP 429)
 *        until the window lets it try again
 * @param failedAuthenticationWindow the window of {@code maxFailedAuthentications}
 */
@ConfigurationProperties("taskwire.security")
public record SecurityProperties(
        @DefaultValue List<String> workerTokens,
        @DefaultValue List<String> clientTokens,
        @DefaultValue List<String> viewerTokens,
        Path tokensDir,
        @DefaultValue("10s") Duration reloadInterval,
        @DefaultValue("false") boolean insecure,
        @DefaultValue("100") int maxFailedAuthentications,
        @DefaultValue("1m") Duration failedAuthenticationWindow) {

    /** Shortest token accepted: a token is a random secret, not a password. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public SecurityProperties {
        workerTokens = Tokens.clean(workerTokens);
        clientTokens = Tokens.clean(clientTokens);
        viewerTokens = Tokens.clean(viewerTokens);
    }
}
