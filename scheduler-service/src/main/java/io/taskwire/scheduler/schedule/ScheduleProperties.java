package io.taskwire.scheduler.schedule;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Schedules (PROTOCOL.md section 8).
 *
 * @param maxSchedules how many schedules the scheduler holds; a new one beyond gets {@code AT_CAPACITY}
 * @param retryInterval how soon a fire whose task could not be stored (the store was down, or the
 *        scheduler held its limit of unfinished tasks) is tried again
 */
@Validated
@ConfigurationProperties("taskwire.scheduler.schedules")
record ScheduleProperties(
        @DefaultValue("100000") int maxSchedules,
        @DefaultValue("1s") Duration retryInterval) {

    ScheduleProperties {
        if (maxSchedules < 1) {
            throw new IllegalArgumentException("taskwire.scheduler.schedules.max-schedules must be at least 1, was "
                    + maxSchedules);
        }
        if (retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("taskwire.scheduler.schedules.retry-interval must be positive, was "
                    + retryInterval);
        }
    }
}
