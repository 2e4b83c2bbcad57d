package io.taskwire.scheduler.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP API's own bounds, beside Tomcat's ({@code server.tomcat.*}).
 *
 * @param headerTimeout how long a client may take to send a request's line and headers; past it the
 *        connection is closed (a slowloris client)
 */
@ConfigurationProperties("taskwire.scheduler.http")
record HttpProperties(@DefaultValue("10s") Duration headerTimeout) {

    HttpProperties {
        if (headerTimeout.isZero() || headerTimeout.isNegative()) {
            throw new IllegalArgumentException("taskwire.scheduler.http.header-timeout must be positive, was " + headerTimeout);
        }
    }
}
