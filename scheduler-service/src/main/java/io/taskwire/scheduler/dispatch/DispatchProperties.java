package io.taskwire.scheduler.dispatch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Dispatch of tasks to workers.
 *
 * @param resultGrace how long past an attempt's deadline the scheduler waits for its result before
 *        it ends the attempt itself as TIMED_OUT
 * @param requeueDelay how long a task that a worker refused waits before it is offered again (to
 *        another worker when there is one); a retryable failure waits for the Resilience4j retry
 *        backoff of {@code resilience4j.retry.configs.dispatch}, and a task whose worker went offline
 *        or did not answer is offered again at once
 */
@ConfigurationProperties("taskwire.scheduler.dispatch")
public record DispatchProperties(
        @DefaultValue("5s") Duration resultGrace,
        @DefaultValue("100ms") Duration requeueDelay) {
}
