package io.taskwire.scheduler.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Deletes finished tasks from the database beyond the retained count and past the retention age,
 * oldest first, in bounded statements, so that the table never grows without bound. Unfinished
 * tasks are never deleted. Counts what it deleted in {@code taskwire.store.retention.deleted}.
 */
final class StoreRetention implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreRetention.class);

    private final TaskRows rows;
    private final int retained;
    private final Duration retention;
    private final int batch;
    private final Clock clock;
    private final Counter deleted;
    private final Disposable rounds;

    /**
     * @param retained finished tasks kept at most
     * @param retention how long a finished task is kept at most
     */
    StoreRetention(TaskRows rows, int retained, Duration retention, StoreProperties properties, Clock clock,
                   MeterRegistry meters) {
        this.rows = rows;
        this.retained = retained;
        this.retention = retention;
        this.batch = properties.retentionBatch();
        this.clock = clock;
        this.deleted = Counter.builder("taskwire.store.retention.deleted")
                .description("Finished tasks deleted from the store by retention").register(meters);
        this.rounds = Flux.interval(properties.retentionInterval(), Schedulers.boundedElastic())
                .onBackpressureDrop()
                .subscribe(tick -> round(), failure -> log.error("Store retention stopped", failure));
    }

    /** One round: deletes in batches until nothing past the limits is left; a database error waits for the next round. */
    int round() {
        int total = 0;
        try {
            int removed;
            do {
                removed = rows.deleteFinishedBefore(clock.instant().minus(retention), batch);
                total += removed;
            } while (removed == batch);
            do {
                removed = rows.deleteFinishedBeyond(retained, batch);
                total += removed;
            } while (removed == batch);
        } catch (RuntimeException failed) {
            log.debug("Store retention could not finish its round: {}", failed.toString());
        }
        deleted.increment(total);
        return total;
    }

    @Override
    public void close() {
        rounds.dispose();
    }
}
