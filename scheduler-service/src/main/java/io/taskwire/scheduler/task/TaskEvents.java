package io.taskwire.scheduler.task;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.WatchFilter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Status changes as streams. A watcher of one task first gets the task's current state, then every
 * change after it, and its stream completes at the final state; nothing is missed in between
 * because registration and the snapshot happen under the task's lock, where changes are published.
 */
class TaskEvents {

    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final int buffer;
    private final int maxWatchers;

    TaskEvents(int buffer, int maxWatchers) {
        this.buffer = buffer;
        this.maxWatchers = maxWatchers;
    }

    /** Publishes a change; called under the task's lock. */
    void publish(Task task, TaskEvent event) {
        for (Watcher watcher : watchers) {
            if (watcher.filter.matches(event, task.type())) {
                watcher.sink.next(event);
            }
        }
    }

    /** Every change of one task, starting with its current state and ending with its final one. */
    Flux<TaskEvent> watch(Task task, java.time.Clock clock) {
        WatchFilter filter = new WatchFilter(task.id(), null);
        return Flux.<TaskEvent>create(sink -> {
            if (full(sink)) {
                return;
            }
            Watcher watcher = new Watcher(filter, sink);
            sink.onDispose(() -> watchers.remove(watcher));
            synchronized (task) {
                watchers.add(watcher);
                sink.next(task.event(clock.instant()));
            }
        }).takeUntil(event -> event.status().isFinal()).transform(this::bounded);
    }

    /** Every change of the tasks the filter selects, from now on, without end. */
    Flux<TaskEvent> watch(WatchFilter filter) {
        return Flux.<TaskEvent>create(sink -> {
            if (full(sink)) {
                return;
            }
            Watcher watcher = new Watcher(filter, sink);
            sink.onDispose(() -> watchers.remove(watcher));
            watchers.add(watcher);
        }).transform(this::bounded);
    }

    /** Refuses a watcher beyond the limit, so that clients cannot hold unbounded memory with watches. */
    private boolean full(FluxSink<TaskEvent> sink) {
        if (watchers.size() < maxWatchers) {
            return false;
        }
        sink.error(new ProtocolException(ErrorCode.AT_CAPACITY, "the scheduler serves " + maxWatchers
                + " watches (and waits), its limit (taskwire.scheduler.tasks.max-watchers); try again later"));
        return true;
    }

    /** Ends every watch with that error. */
    void endAll(ProtocolException why) {
        watchers.forEach(watcher -> watcher.sink.error(why));
    }

    int watcherCount() {
        return watchers.size();
    }

    private Flux<TaskEvent> bounded(Flux<TaskEvent> events) {
        return events.onBackpressureBuffer(buffer, dropped -> { }, BufferOverflowStrategy.ERROR)
                .onErrorMap(IllegalStateException.class, overflow -> new ProtocolException(ErrorCode.AT_CAPACITY,
                        "the watcher fell more than " + buffer + " events behind and was cut off"));
    }

    private record Watcher(WatchFilter filter, FluxSink<TaskEvent> sink) {
    }
}
