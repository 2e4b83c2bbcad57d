package io.taskwire.scheduler.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker registry.
 *
 * @param offlineRetention how long a worker that left stays visible as OFFLINE in the workers view
 * @param faultLimit malformed replies (another task's, attempt's or fence's result, or data that does
 *                   not parse) a worker may give in one session; the next one disconnects it
 * @param faultCoolDown how long a worker disconnected for its replies is refused at SETUP
 */
@ConfigurationProperties("taskwire.scheduler.registry")
public record RegistryProperties(@DefaultValue("5m") Duration offlineRetention,
                                 @DefaultValue("3") int faultLimit,
                                 @DefaultValue("1m") Duration faultCoolDown) {
}
