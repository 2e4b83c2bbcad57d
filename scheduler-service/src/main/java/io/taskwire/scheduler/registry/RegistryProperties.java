package io.taskwire.scheduler.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker registry.
 *
 * @param offlineRetention how long a worker that left stays visible as OFFLINE in the workers view
 */
@ConfigurationProperties("taskwire.scheduler.registry")
public record RegistryProperties(@DefaultValue("5m") Duration offlineRetention) {
}
