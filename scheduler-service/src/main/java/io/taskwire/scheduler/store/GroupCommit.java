package io.taskwire.scheduler.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Writes of many callers in one transaction. One writer thread commits whatever is queued when it
 * is free, up to {@code maxBatch} writes: under load many writes share one commit and its fsync,
 * and a lone write waits for no other. Writes are committed in the order they were queued; several
 * writes of one task in one commit become one row write, its last state. A caller learns that its
 * write is durable when its {@link Mono} completes; a commit that fails fails every write in it.
 */
public final class GroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final TaskRows rows;
    private final int maxBatch;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Timer commits;
    private final DistributionSummary writesPerCommit;
    private volatile boolean closed;

    /**
     * @param maxBatch most writes in one commit
     * @param meters where {@code taskwire.store.commit} (latency) and {@code taskwire.store.commit.writes} go
     */
    public GroupCommit(TaskRows rows, int maxBatch, MeterRegistry meters) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a commit holds at least one write, not " + maxBatch);
        }
        this.rows = rows;
        this.maxBatch = maxBatch;
        this.commits = Timer.builder("taskwire.store.commit")
                .description("Commits of the task store: how long each took, failed ones included")
                .publishPercentileHistogram()
                .register(meters);
        this.writesPerCommit = DistributionSummary.builder("taskwire.store.commit.writes")
                .description("Writes that shared one commit of the task store")
                .register(meters);
        this.writer = new Thread(this::run, "taskwire-store-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Stores a new task; the Mono completes once it is committed. */
    public Mono<Void> insert(TaskRow row) {
        return queue(row, true);
    }

    /** Stores a task's new state; the Mono completes once it is committed. */
    public Mono<Void> update(TaskRow row) {
        return queue(row, false);
    }

    /** Commits what is queued, then stops the writer; writes queued later fail. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new IllegalStateException("the task store is closed"));
    }

    private Mono<Void> queue(TaskRow row, boolean isNew) {
        if (closed) {
            return Mono.error(new IllegalStateException("the task store is closed"));
        }
        Write write = new Write(row, isNew, new CompletableFuture<>());
        queue.add(write);
        // a caller that stops waiting does not take the write back: it is committed all the same
        return Mono.fromFuture(write.done, true);
    }

    private void run() {
        List<Write> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("The task store's writer failed; its writes failed with it", e);
                batch.forEach(write -> write.done.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Write> batch) {
        Map<String, TaskRow> latest = new LinkedHashMap<>();
        Set<String> isNew = new HashSet<>();
        for (Write write : batch) {
            latest.put(write.row.id(), write.row);
            if (write.isNew) {
                isNew.add(write.row.id());
            }
        }
        List<TaskRow> inserts = new ArrayList<>(isNew.size());
        List<TaskRow> updates = new ArrayList<>(latest.size() - isNew.size());
        latest.forEach((id, row) -> (isNew.contains(id) ? inserts : updates).add(row));
        long start = System.nanoTime();
        try {
            rows.write(inserts, updates);
        } catch (RuntimeException failed) {
            log.warn("A commit of {} writes to the task store failed: {}", batch.size(), failed.toString());
            batch.forEach(write -> write.done.completeExceptionally(failed));
            return;
        } finally {
            commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        writesPerCommit.record(batch.size());
        batch.forEach(write -> write.done.complete(null));
    }

    private void failAll(RuntimeException why) {
        for (Write write = queue.poll(); write != null; write = queue.poll()) {
            write.done.completeExceptionally(why);
        }
    }

    private record Write(TaskRow row, boolean isNew, CompletableFuture<Void> done) {
    }
}
