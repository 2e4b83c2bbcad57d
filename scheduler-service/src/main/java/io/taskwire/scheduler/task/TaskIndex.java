package io.taskwire.scheduler.task;

import io.taskwire.scheduler.store.TaskQuery;
import io.taskwire.scheduler.store.TaskQuery.Position;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The tasks the scheduler works with, in memory: every unfinished task, and finished ones up to a
 * count and an age ({@link TaskProperties#retainedFinished()}, {@link TaskProperties#finishedRetention()}),
 * oldest evicted first, together with their idempotency keys. A task is found and listed only once
 * its creation is committed to the store; its idempotency key is taken at once.
 */
final class TaskIndex {

    private final ConcurrentHashMap<String, Task> tasks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Task> byIdempotencyKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Task> newestFirst = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedQueue<Finished> finishedOldestFirst = new ConcurrentLinkedQueue<>();
    private final AtomicInteger finishedCount = new AtomicInteger();
    private final ReentrantLock evicting = new ReentrantLock();
    private final TaskProperties properties;
    private final Clock clock;

    TaskIndex(TaskProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Adds a task, or returns the task already held under the same idempotency key.
     *
     * @return the task now held for that key: {@code task} itself, or the earlier one
     */
    Task add(Task task) {
        String key = task.spec().idempotencyKey();
        if (key != null) {
            Task first = byIdempotencyKey.putIfAbsent(key, task);
            if (first != null) {
                return first;
            }
        }
        tasks.put(task.id(), task);
        newestFirst.addFirst(task);
        return task;
    }

    /** @return whether a task under this idempotency key is held */
    boolean holdsKey(String key) {
        return byIdempotencyKey.containsKey(key);
    }

    /** Takes back a task whose creation could not be committed. */
    void remove(Task task) {
        forget(task, true);
    }

    Optional<Task> find(String taskId) {
        Task task = tasks.get(taskId);
        return task != null && task.created() ? Optional.of(task) : Optional.empty();
    }

    /**
     * @return the tasks the query selects, in its order, from its cursor on: the held tasks are all
     *         looked at, keeping the best {@code limit} of them
     */
    List<Task> list(TaskQuery query) {
        Comparator<Task> order = Comparator.comparing(TaskIndex::position, query.order());
        PriorityQueue<Task> kept = new PriorityQueue<>(Math.min(query.limit(), 1024) + 1, order.reversed());
        for (Task task : newestFirst) {
            if (task.created() && query.admits(task.status(), task.type(), task.createdAt(), task.id())) {
                kept.add(task);
                if (kept.size() > query.limit()) {
                    kept.poll();
                }
            }
        }
        List<Task> found = new ArrayList<>(kept);
        found.sort(order);
        return found;
    }

    private static Position position(Task task) {
        return new Position(task.createdAt(), task.id());
    }

    /** @return the tasks the schedule fired, newest first, at most {@code limit} */
    List<Task> firedBy(String scheduleId, int limit) {
        return list(task -> scheduleId.equals(task.scheduleId()), limit);
    }

    private List<Task> list(Predicate<Task> filter, int limit) {
        List<Task> found = new ArrayList<>(Math.min(limit, 1024));
        for (Task task : newestFirst) {
            if (found.size() >= limit) {
                break;
            }
            if (task.created() && filter.test(task)) {
                found.add(task);
            }
        }
        return found;
    }

    /** Called once when a task reaches a final state, under its lock, to apply the retention. */
    void finished(Task task) {
        // called under the task's own lock; eviction below never takes another task's lock
        finishedOldestFirst.add(new Finished(task, task.finishedAt()));
        finishedCount.incrementAndGet();
        evict();
    }

    /** @return how many tasks are held */
    int size() {
        return tasks.size();
    }

    private record Finished(Task task, Instant at) {
    }

    /**
     * Drops finished tasks beyond the retained count or older than the retention. One thread
     * evicts at a time and the others go on: two evictors racing for the same oldest entry made
     * the loser search the whole queue (up to {@code retained-finished} entries) for an entry
     * already gone, on every finish. The evictor re-reads the count on each step, so what a
     * skipped caller would have dropped is dropped by it or by the next finish.
     */
    void evict() {
        if (!evicting.tryLock()) {
            return;
        }
        try {
            Instant oldestKept = clock.instant().minus(properties.finishedRetention());
            for (Finished entry = finishedOldestFirst.peek(); entry != null; entry = finishedOldestFirst.peek()) {
                boolean tooMany = finishedCount.get() > properties.retainedFinished();
                if (!tooMany && !entry.at().isBefore(oldestKept)) {
                    return;
                }
                finishedOldestFirst.poll();
                finishedCount.decrementAndGet();
                forget(entry.task(), false);
            }
        } finally {
            evicting.unlock();
        }
    }

    /**
     * @param amongNewest where the task sits: among the newest (one just created) is found from the
     *        front of the newest-first list, an old finished one from its back
     */
    private void forget(Task task, boolean amongNewest) {
        tasks.remove(task.id());
        if (amongNewest) {
            newestFirst.removeFirstOccurrence(task);
        } else {
            newestFirst.removeLastOccurrence(task);
        }
        String key = task.spec().idempotencyKey();
        if (key != null) {
            byIdempotencyKey.remove(key, task);
        }
    }
}
