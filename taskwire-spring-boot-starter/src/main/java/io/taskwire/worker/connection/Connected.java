package io.taskwire.worker.connection;

import io.taskwire.messages.WorkerConfig;
import java.time.Instant;
import org.springframework.messaging.rsocket.RSocketRequester;

/**
 * A registered connection to the scheduler.
 *
 * @param requester calls the scheduler over it
 * @param config what the scheduler pushed in {@code worker.config}
 * @param since when the scheduler accepted this worker
 * @param scheduler the address of the scheduler it is registered with ({@code host:port})
 */
public record Connected(RSocketRequester requester, WorkerConfig config, Instant since, String scheduler) {
}
