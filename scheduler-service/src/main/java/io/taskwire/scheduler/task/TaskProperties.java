package io.taskwire.scheduler.task;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Task defaults and retention.
 *
 * @param defaultTimeout how long one attempt may run when the spec gives no {@code timeoutMs}
 * @param maxTimeout the longest {@code timeoutMs} a spec may ask for
 * @param defaultMaxAttempts attempts in all when the spec gives no {@code maxAttempts}
 * @param defaultAwait how long {@code task.submit.await} waits when the spec gives no {@code awaitMs}
 * @param maxAwait the longest wait any caller may ask for
 * @param maxPending how many unfinished tasks the scheduler holds; submissions beyond get {@code AT_CAPACITY}
 * @param retainedFinished how many finished tasks stay readable
 * @param finishedRetention how long a finished task stays readable
 * @param declaredTypes task types accepted before any worker has advertised them (after a restart, say)
 * @param watchBuffer events buffered for one {@code task.watch} subscriber before it is cut off as too slow
 * @param maxWatchers watches (and submit-and-wait calls) served at once; beyond, {@code AT_CAPACITY}
 */
@ConfigurationProperties("taskwire.scheduler.tasks")
public record TaskProperties(
        @DefaultValue("5m") Duration defaultTimeout,
        @DefaultValue("24h") Duration maxTimeout,
        @DefaultValue("3") int defaultMaxAttempts,
        @DefaultValue("30s") Duration defaultAwait,
        @DefaultValue("5m") Duration maxAwait,
        @DefaultValue("100000") int maxPending,
        @DefaultValue("100000") int retainedFinished,
        @DefaultValue("1h") Duration finishedRetention,
        @DefaultValue List<String> declaredTypes,
        @DefaultValue("10000") int watchBuffer,
        @DefaultValue("10000") int maxWatchers) {
}
