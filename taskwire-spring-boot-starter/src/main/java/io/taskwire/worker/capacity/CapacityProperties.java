package io.taskwire.worker.capacity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker's capacity.
 *
 * @param slots tasks run at once
 */
@ConfigurationProperties("taskwire.worker")
public record CapacityProperties(@DefaultValue("4") int slots) {

    public CapacityProperties {
        if (slots < 1) {
            throw new IllegalArgumentException("taskwire.worker.slots must be at least 1, was " + slots);
        }
    }
}
