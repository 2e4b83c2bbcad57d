package io.taskwire.scheduler.dispatch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Dispatch of tasks to workers.
 *
 * @param resultGrace how long past an attempt's deadline the scheduler waits for its result before
 *        it ends the attempt itself as TIMED_OUT
 * @param requeueDelay how long a task that a worker refused, or failed with a retryable error, waits
 *        before it is offered again (a task whose worker went offline is offered again at once)
 */
@ConfigurationProperties("taskwire.scheduler.dispatch")
public record DispatchProperties(
        @DefaultValue("5s") Duration resultGrace,
        @DefaultValue("100ms") Duration requeueDelay) {
}
