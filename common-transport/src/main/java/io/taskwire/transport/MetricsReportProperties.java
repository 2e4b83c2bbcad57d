package io.taskwire.transport;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The communication report in the log.
 *
 * @param reportInterval how often to log a summary of the communication metrics, one line per route,
 *        mode and side; unset (the default) for no report
 */
@ConfigurationProperties("taskwire.metrics")
public record MetricsReportProperties(Duration reportInterval) {

    public MetricsReportProperties {
        if (reportInterval != null && (reportInterval.isZero() || reportInterval.isNegative())) {
            throw new IllegalArgumentException("taskwire.metrics.report-interval must be positive, was " + reportInterval);
        }
    }
}
