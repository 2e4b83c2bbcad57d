package io.taskwire.scheduler.dispatch;

import io.taskwire.messages.Encoding;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Dispatch of tasks to workers.
 *
 * @param resultGrace how long past an attempt's deadline the scheduler waits for its result before
 *        it ends the attempt itself as TIMED_OUT
 * @param requeueDelay how long a task that a worker refused waits before it is offered again (to
 *        another worker when there is one); a retryable failure waits for the Resilience4j retry
 *        backoff of {@code resilience4j.retry.configs.dispatch}, and a task whose worker went offline
 *        or did not answer is offered again at once
 * @param batch sending several tasks to one worker at once ({@code task.execute.batch})
 */
@ConfigurationProperties("taskwire.scheduler.dispatch")
public record DispatchProperties(
        @DefaultValue("5s") Duration resultGrace,
        @DefaultValue("100ms") Duration requeueDelay,
        @DefaultValue Batch batch) {

    /**
     * Batched dispatch: the tasks one dispatch round gives the same worker go in one
     * {@code task.execute.batch}; a lone task goes by {@code task.execute}, without waiting.
     *
     * @param size most tasks in one batch (never more than the worker's free slots); 1 turns batching off
     * @param compressionThreshold a batch whose JSON is smaller goes uncompressed ({@code identity})
     * @param encoding the encoding of larger batches: {@code zstd} (to workers that advertise it,
     *        {@code gzip} to the others), {@code gzip}, or {@code identity}
     */
    public record Batch(@DefaultValue("256") int size, @DefaultValue("16KB") DataSize compressionThreshold,
                        @DefaultValue("zstd") Encoding encoding) {

        public Batch {
            if (size < 1) {
                throw new IllegalArgumentException("taskwire.scheduler.dispatch.batch.size must be at least 1, was " + size);
            }
        }
    }
}
