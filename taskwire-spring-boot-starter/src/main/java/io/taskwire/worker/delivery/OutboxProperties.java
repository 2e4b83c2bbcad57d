package io.taskwire.worker.delivery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The result outbox, and the batches results are delivered in.
 *
 * @param capacity results kept at most; beyond, the oldest is dropped (and its task runs again)
 * @param flushInterval how often waiting results are sent while connected
 * @param batchSize results per {@code task.result.batch}
 * @param resendWindow replies sent this long before a disconnection are delivered again
 */
@ConfigurationProperties("taskwire.worker.outbox")
record OutboxProperties(@DefaultValue("10000") int capacity, @DefaultValue("500ms") Duration flushInterval,
                        @DefaultValue("100") int batchSize, @DefaultValue("5s") Duration resendWindow) {
}
