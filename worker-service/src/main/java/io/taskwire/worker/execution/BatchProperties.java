package io.taskwire.worker.execution;

import io.taskwire.messages.Encoding;
import io.taskwire.messages.TaskBatches;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Batches of tasks ({@code task.execute.batch}).
 *
 * @param zstd whether to advertise {@code zstd} in the hello, so that the scheduler may send zstd
 *        batches; it is advertised only if zstd-jni also loads on this platform ({@code identity} and
 *        {@code gzip} are always accepted)
 */
@ConfigurationProperties("taskwire.worker.batch")
public record BatchProperties(@DefaultValue("true") boolean zstd) {

    /** @return the encodings for the hello's {@code encodings} field beyond identity and gzip, or null for none */
    public List<String> advertisedEncodings() {
        return zstd && TaskBatches.zstdAvailable() ? List.of(Encoding.ZSTD.wireName()) : null;
    }
}
