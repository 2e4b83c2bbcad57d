package io.taskwire.scheduler.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Tells an operator who started the scheduler without tokens exactly what to set. */
public class MissingCredentialsFailureAnalyzer extends AbstractFailureAnalyzer<MissingCredentialsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingCredentialsException cause) {
        StringBuilder action = new StringBuilder("Give the scheduler its tokens (each at least ")
                .append(SecurityProperties.MIN_TOKEN_LENGTH).append(" random characters, e.g. from `openssl rand -hex 32`):\n");
        if (cause.workerMissing()) {
            action.append("  TASKWIRE_SECURITY_WORKER_TOKENS=<token workers present>   (taskwire.security.worker-tokens)\n");
        }
        if (cause.clientMissing()) {
            action.append("  TASKWIRE_SECURITY_CLIENT_TOKENS=<token clients present>   (taskwire.security.client-tokens)\n");
        }
        action.append("or mount them as files worker-tokens / client-tokens in a directory named by "
                + "TASKWIRE_SECURITY_TOKENS_DIR.\n"
                + "For local development only, TASKWIRE_SECURITY_INSECURE=true accepts everyone without a token.");
        return new FailureAnalysis(cause.getMessage() + ".", action.toString(), cause);
    }
}
