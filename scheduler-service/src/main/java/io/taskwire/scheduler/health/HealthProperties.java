package io.taskwire.scheduler.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Health of the scheduler.
 *
 * @param minWorkers the scheduler reports itself not ready while fewer workers are online (ONLINE or BUSY)
 */
@ConfigurationProperties("taskwire.scheduler")
public record HealthProperties(@DefaultValue("0") int minWorkers) {
}
