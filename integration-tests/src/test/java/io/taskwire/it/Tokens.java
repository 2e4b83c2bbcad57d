package io.taskwire.it;

import io.rsocket.metadata.WellKnownMimeType;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.client.RestTemplate;

/** The tokens every test scheduler accepts, as a deployment gives them: one per role. */
public final class Tokens {

    public static final String WORKER = "it-worker-token-2b7e151628aed2a6";
    public static final String CLIENT = "it-client-token-abf7158809cf4f3c";
    /** Reads and changes nothing; a scheduler accepts it only where a test adds it as {@link #VIEWER_ARG}. */
    public static final String VIEWER = "it-viewer-token-3c6e0b8a9c15224a";

    /** Scheduler arguments that set both token lists. */
    public static final String[] SCHEDULER_ARGS = {
            "--taskwire.security.worker-tokens=" + WORKER, "--taskwire.security.client-tokens=" + CLIENT};

    /** The scheduler argument that sets the viewer token list. */
    public static final String VIEWER_ARG = "--taskwire.security.viewer-tokens=" + VIEWER;

    /** The worker argument that presents the worker token. */
    public static final String WORKER_ARG = "--taskwire.worker.token=" + WORKER;

    /** The well-known authentication metadata type a SETUP carries its bearer token in. */
    public static final MimeType AUTHENTICATION =
            MimeTypeUtils.parseMimeType(WellKnownMimeType.MESSAGE_RSOCKET_AUTHENTICATION.getString());

    private Tokens() {
    }

    /** @return an HTTP client that presents the client token on every call */
    public static RestTemplate http() {
        return new RestTemplateBuilder().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + CLIENT).build();
    }

    /** @return the arguments with the scheduler's token arguments added */
    public static String[] withSchedulerTokens(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + SCHEDULER_ARGS.length);
        System.arraycopy(SCHEDULER_ARGS, 0, all, args.length, SCHEDULER_ARGS.length);
        return all;
    }
}
