package io.taskwire.scheduler.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Writes of many callers in one transaction. One writer thread commits whatever is queued when it
 * is free, up to {@code maxBatch} writes: under load many writes share one commit and its fsync,
 * and a lone write waits for no other. Writes are committed in the order they were queued, except
 * that the writes of schedules and of the tasks they fire go before clients' tasks' writes queued
 * earlier: a fire is due at its time, and should not wait behind a backlog of submissions. Nothing
 * of a schedule's depends on a client's task, so each of the two keeps its own order. Several
 * writes of one task (or one schedule) in one commit become one row write, its last state. A write
 * is a task's state, a schedule's, or both (a fire: the task and the schedule row that counts it).
 * A caller learns that its write is durable when its future completes, on a thread of its own (one
 * for each of the two kinds) so that the writer is already at the next commit meanwhile. A commit
 * that fails fails every write in it, except that a batch refused for one bad write (a constraint
 * it breaks) is committed again write by write, so that the others are not failed for it.
 *
 * <p>Every commit is fenced by the epoch this scheduler leads with ({@link #lead}): once another
 * scheduler has taken the lead, a commit changes nothing and fails.
 *
 * <p>While the database cannot be written to (the last commit failed for another reason than a bad
 * write: it cannot be reached, it turned read-only, or another scheduler leads), new tasks are refused at once rather than
 * queued behind commits that wait for a connection, and the writer tries a harmless write every
 * second until one succeeds.
 */
public final class GroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** While the database is down every commit fails: one line a minute says how many did. */
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final TaskRows rows;
    private final int maxBatch;
    /** Schedules' writes first, then each kind in the order queued. */
    private final PriorityBlockingQueue<Write> queue = new PriorityBlockingQueue<>(1_024,
            Comparator.comparing(Write::ofClient).thenComparingLong(Write::sequence));
    private final AtomicLong sequence = new AtomicLong();
    private final Thread writer;
    /**
     * Where the writers of clients' tasks learn how their commits went, in commit order: a lot of
     * work under load (answers, events, dispatch), which a fire's announcement does not wait behind.
     */
    private final ExecutorService completions = completionThread("taskwire-store-acks");
    /** The same for schedules and the tasks they fire, in their own commit order. */
    private final ExecutorService scheduleCompletions = completionThread("taskwire-store-acks-schedules");
    private final Timer commits;
    private final DistributionSummary writesPerCommit;
    private volatile boolean closed;
    /** The epoch this scheduler leads with; its writes are committed only while no newer one leads. */
    private volatile long epoch = -1;
    /** Why the database cannot be written to; null while it can. */
    private volatile RuntimeException unwritable;
    /** When the database last answered or was last asked (the writer thread's alone). */
    private long lastProbe = System.nanoTime();
    /** Failed commits since the last warning, and when that was (the writer thread's alone). */
    private int failedSinceWarning;
    private long lastWarning = System.nanoTime() - WARN_INTERVAL_NANOS;

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

    /**
     * Stores a new task; the future completes once it is committed. While the database cannot be
     * written to, it fails at once.
     */
    public CompletableFuture<Void> insert(TaskRow row) {
        return insert(row, null);
    }

    /**
     * Stores a new task together with the new state of the schedule that fired it, in one commit.
     * While the database cannot be written to, it fails at once.
     */
    public CompletableFuture<Void> insert(TaskRow row, ScheduleRow schedule) {
        RuntimeException down = unwritable;
        return down != null ? CompletableFuture.failedFuture(down)
                : queue(row, true, schedule == null ? null : new ScheduleWrite(schedule.id(), schedule));
    }

    /** Stores a schedule, new or changed; the future completes once it is committed. */
    public CompletableFuture<Void> put(ScheduleRow schedule) {
        return queue(null, false, new ScheduleWrite(schedule.id(), schedule));
    }

    /** Deletes a schedule; the future completes once that is committed. */
    public CompletableFuture<Void> delete(String scheduleId) {
        return queue(null, false, new ScheduleWrite(scheduleId, null));
    }

    /** From now on the writes are fenced by this epoch, the one taken with the lead. */
    public void lead(long epoch) {
        this.epoch = epoch;
    }

    /** @return why the database cannot be written to, or null while it can */
    public RuntimeException unwritable() {
        return unwritable;
    }

    /** @return writes queued and not yet committed */
    public int queued() {
        return queue.size();
    }

    /** Stores a task's new state; the future completes once it is committed. */
    public CompletableFuture<Void> update(TaskRow row) {
        return queue(row, false, null);
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
        completions.shutdown();
        scheduleCompletions.shutdown();
    }

    private CompletableFuture<Void> queue(TaskRow row, boolean isNew, ScheduleWrite schedule) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the task store is closed"));
        }
        boolean ofClient = schedule == null && row.scheduleId() == null;
        Write write = new Write(row, isNew, schedule, ofClient, sequence.getAndIncrement(), new CompletableFuture<>());
        queue.add(write);
        return write.done;
    }

    private void run() {
        List<Write> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    probeWhenIdle();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                List<Write> committed = List.copyOf(batch);
                RuntimeException failed = commit(committed);
                if (failed instanceof DataIntegrityViolationException && committed.size() > 1) {
                    committed.forEach(write -> complete(List.of(write), commit(List.of(write))));
                } else {
                    complete(committed, failed);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("The task store's writer failed; its writes failed with it", e);
                complete(List.copyOf(batch), e);
            } finally {
                batch.clear();
            }
        }
    }

    /** @return null when the batch is committed, else why not */
    private RuntimeException commit(List<Write> batch) {
        Map<String, TaskRow> latest = new LinkedHashMap<>();
        Set<String> isNew = new HashSet<>();
        Map<String, ScheduleWrite> schedules = new LinkedHashMap<>();
        for (Write write : batch) {
            if (write.row != null) {
                latest.put(write.row.id(), write.row);
                if (write.isNew) {
                    isNew.add(write.row.id());
                }
            }
            if (write.schedule != null) {
                schedules.put(write.schedule.id(), write.schedule);
            }
        }
        List<TaskRow> inserts = new ArrayList<>(isNew.size());
        List<TaskRow> updates = new ArrayList<>(latest.size() - isNew.size());
        latest.forEach((id, row) -> (isNew.contains(id) ? inserts : updates).add(row));
        long start = System.nanoTime();
        try {
            if (epoch < 0) {
                throw new LeadLostException("this scheduler does not lead: it writes no task");
            }
            rows.write(inserts, updates, List.copyOf(schedules.values()), epoch);
        } catch (RuntimeException failed) {
            if (!(failed instanceof DataIntegrityViolationException)) {
                wentDown(failed);
            }
            return failed;
        } finally {
            commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        writesPerCommit.record(batch.size());
        lastProbe = System.nanoTime();
        cameBack();
        return null;
    }

    private void wentDown(RuntimeException why) {
        if (unwritable == null) {
            log.warn("The task store cannot be written to; new tasks are refused until it can: {}", TaskStore.said(why));
        }
        unwritable = why;
        lastProbe = System.nanoTime();
    }

    private void cameBack() {
        if (unwritable != null) {
            unwritable = null;
            log.info("The task store can be written to again");
        }
    }

    /**
     * With nothing to write, whether the database answers: once a second while it is unwritable,
     * every five seconds without a commit otherwise, so that the store's health stays current.
     */
    private void probeWhenIdle() {
        long every = TimeUnit.SECONDS.toNanos(unwritable == null ? 5 : 1);
        if (System.nanoTime() - lastProbe < every) {
            return;
        }
        lastProbe = System.nanoTime();
        try {
            rows.ping();
            cameBack();
        } catch (RuntimeException down) {
            wentDown(down);
        }
    }

    /** Tells the writers of a batch how their commit went, on the completion threads of their kinds. */
    private void complete(List<Write> batch, RuntimeException failed) {
        if (failed != null) {
            warn(batch.size(), failed);
        }
        Map<Boolean, List<Write>> byKind = batch.stream().collect(Collectors.partitioningBy(Write::ofClient));
        complete(scheduleCompletions, byKind.get(false), failed);
        complete(completions, byKind.get(true), failed);
    }

    private static void complete(ExecutorService thread, List<Write> writes, RuntimeException failed) {
        if (writes.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> writes.forEach(write -> {
                if (failed == null) {
                    write.done.complete(null);
                } else {
                    write.done.completeExceptionally(failed);
                }
            }));
        } catch (RejectedExecutionException closing) {
            writes.forEach(write -> write.done.completeExceptionally(new IllegalStateException("the task store is closed")));
        }
    }

    private static ExecutorService completionThread(String name) {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private void warn(int writes, RuntimeException failed) {
        failedSinceWarning++;
        long now = System.nanoTime();
        if (now - lastWarning >= WARN_INTERVAL_NANOS) {
            log.warn("A commit of {} writes to the task store failed ({} failed since the last such line): {}",
                    writes, failedSinceWarning, TaskStore.said(failed));
            failedSinceWarning = 0;
            lastWarning = now;
        }
    }

    private void failAll(RuntimeException why) {
        for (Write write = queue.poll(); write != null; write = queue.poll()) {
            write.done.completeExceptionally(why);
        }
    }

    /**
     * A task's state (null for none), whether it is new, and a schedule's state (null for none).
     *
     * @param ofClient whether it is only a client's task's: queued after schedules' writes
     * @param sequence its place in the order writes were queued
     */
    private record Write(TaskRow row, boolean isNew, ScheduleWrite schedule, boolean ofClient, long sequence,
                         CompletableFuture<Void> done) {
    }

    /**
     * A schedule's new state, or its deletion.
     *
     * @param id the schedule id
     * @param row its new state; null to delete it
     */
    record ScheduleWrite(String id, ScheduleRow row) {
    }
}
