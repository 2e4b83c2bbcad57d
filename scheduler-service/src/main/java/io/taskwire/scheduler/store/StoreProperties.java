package io.taskwire.scheduler.store;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The task store. Which database is {@code spring.datasource.*}'s; how long finished tasks stay in it
 * is {@code taskwire.scheduler.tasks.retained-finished} and {@code .finished-retention}.
 *
 * @param inMemory keep tasks in memory only: nothing survives a restart (benchmarks, development)
 * @param h2Directory where the embedded H2 database keeps its files, while {@code spring.datasource.url}
 *        is the packaged one
 * @param maxCommitWrites most writes that share one commit
 * @param retentionInterval how often finished tasks past the retention are deleted
 * @param retentionBatch most rows one delete statement removes; a round repeats it until none are left
 * @param rewriteInterval how often the scheduler writes again the task states whose commit failed
 */
@ConfigurationProperties("taskwire.scheduler.store")
public record StoreProperties(
        @DefaultValue("false") boolean inMemory,
        @DefaultValue("./taskwire-data") String h2Directory,
        @DefaultValue("1000") int maxCommitWrites,
        @DefaultValue("10s") Duration retentionInterval,
        @DefaultValue("1000") int retentionBatch,
        @DefaultValue("1s") Duration rewriteInterval) {

    public StoreProperties {
        if (maxCommitWrites < 1) {
            throw new IllegalArgumentException("taskwire.scheduler.store.max-commit-writes must be at least 1, was "
                    + maxCommitWrites);
        }
        if (retentionBatch < 1) {
            throw new IllegalArgumentException("taskwire.scheduler.store.retention-batch must be at least 1, was "
                    + retentionBatch);
        }
    }
}
