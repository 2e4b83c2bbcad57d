package io.taskwire.worker.execution;

import io.taskwire.messages.Encoding;
import io.taskwire.messages.TaskBatches;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Running tasks.
 *
 * @param shutdownTimeout how long a stopping worker waits for its running tasks and their delivery
 * @param batch batches of tasks ({@code task.execute.batch})
 */
@ConfigurationProperties("taskwire.worker")
public record ExecutionProperties(@DefaultValue("30s") Duration shutdownTimeout, @DefaultValue Batch batch) {

    /**
     * Batches of tasks ({@code task.execute.batch}).
     *
     * @param zstd whether to advertise {@code zstd} in the hello, so that the scheduler may send zstd
     *        batches; it is advertised only if zstd-jni also loads on this platform ({@code identity} and
     *        {@code gzip} are always accepted)
     */
    public record Batch(@DefaultValue("true") boolean zstd) {
    }

    /** @return the encodings for the hello's {@code encodings} field beyond identity and gzip, or null for none */
    public List<String> advertisedEncodings() {
        return batch.zstd() && TaskBatches.zstdAvailable() ? List.of(Encoding.ZSTD.wireName()) : null;
    }
}
