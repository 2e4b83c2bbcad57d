package io.taskwire.scheduler.api;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Constants;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * A deadline for the request line and headers on the HTTP API's port, which Tomcat does not have:
 * its {@code connection-timeout} applies to each read, so a client that sends a byte a second
 * (slowloris) would hold its connection for ever. Once a second, a connection that started a request
 * more than {@code taskwire.scheduler.http.header-timeout} ago (10 s) and is still reading its
 * headers is closed, and what it held with it.
 */
@Component
@EnableConfigurationProperties(HttpProperties.class)
class HeaderDeadline implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final Duration timeout;

    HeaderDeadline(HttpProperties properties) {
        this.timeout = properties.headerTimeout();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(Protocol.class.getName());
        factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof Protocol protocol) {
                protocol.headerTimeout = timeout;
            }
        });
    }

    /**
     * Whether a connection's processor holds a request whose line and headers are still coming: it
     * started (its first byte is marked), it is not in the servlet (PREPARE to KEEPALIVE) and not
     * asynchronous (a long poll such as {@code waitMs}). Tomcat keeps such a processor with the
     * connection between reads and marks it PARSE while it reads, ENDED between reads.
     */
    static boolean readingHeaders(AbstractProcessor processor) {
        Request request = processor.getRequest();
        int stage = request.getRequestProcessor().getStage();
        return request.getStartTimeNanos() > 0 && !processor.isAsync()
                && (stage == Constants.STAGE_PARSE || stage == Constants.STAGE_ENDED);
    }

    /** Tomcat's NIO HTTP/1.1 protocol with the sweep. */
    public static final class Protocol extends Http11NioProtocol {

        private volatile Duration headerTimeout = Duration.ofSeconds(10);
        private ScheduledFuture<?> sweep;

        @Override
        public void start() throws Exception {
            super.start();
            sweep = getUtilityExecutor().scheduleWithFixedDelay(this::closeLateHeaders, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public void stop() throws Exception {
            if (sweep != null) {
                sweep.cancel(false);
            }
            super.stop();
        }

        private void closeLateHeaders() {
            long now = System.nanoTime();
            long limit = headerTimeout.toNanos();
            for (SocketWrapperBase<?> connection : getEndpoint().getConnections()) {
                if (connection.getCurrentProcessor() instanceof AbstractProcessor processor && readingHeaders(processor)
                        && now - processor.getRequest().getStartTimeNanos() > limit) {
                    connection.close();
                }
            }
        }
    }
}
