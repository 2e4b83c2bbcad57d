package io.taskwire.scheduler.support;

import io.rsocket.metadata.WellKnownMimeType;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.client.RestTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * The tokens the test schedulers accept (set in {@code SchedulerTest} and {@code RunningScheduler}),
 * and a {@code TestRestTemplate} that presents the client token unless a test sets its own header.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTokens {

    public static final String WORKER = "test-worker-token-7d1f0c9e2b";
    public static final String CLIENT = "test-client-token-51a8e36c40";
    public static final String WORKER_PROPERTY = "taskwire.security.worker-tokens=" + WORKER;
    public static final String CLIENT_PROPERTY = "taskwire.security.client-tokens=" + CLIENT;
    public static final String VIEWER = "test-viewer-token-c03b9e77a1";
    public static final String VIEWER_PROPERTY = "taskwire.security.viewer-tokens=" + VIEWER;

    /** The well-known authentication metadata type a SETUP carries its bearer token in. */
    public static final MimeType AUTHENTICATION =
            MimeTypeUtils.parseMimeType(WellKnownMimeType.MESSAGE_RSOCKET_AUTHENTICATION.getString());

    @Bean
    RestTemplateCustomizer clientToken() {
        return rest -> rest.getInterceptors().add((request, body, execution) -> {
            if (!request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
                request.getHeaders().setBearerAuth(CLIENT);
            }
            return execution.execute(request, body);
        });
    }
}
