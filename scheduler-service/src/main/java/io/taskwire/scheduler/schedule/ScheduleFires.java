package io.taskwire.scheduler.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.TaskSpec;
import io.taskwire.scheduler.dispatch.Dispatcher;
import io.taskwire.scheduler.store.ScheduleRow;
import io.taskwire.scheduler.store.TaskStore;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.transport.PeerErrorLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The fires of the schedules {@link Schedules} holds: each at its time, the catch-up with missed fire
 * times (misfire policy), what an overlapping fire time comes to (overlap policy), a fire held back
 * for the previous task, and a fire that could not be stored taken back and tried again. Every
 * change runs under the schedule's lock, as {@link Schedules}' own do, where its write is queued.
 * Fires only while this scheduler leads.
 *
 * <p>A fire creates a normal task whose idempotency key is {@code schedule:<id>:<fire time>},
 * stored in the same commit as the schedule row that counts it: after a crash or a takeover at any
 * instant, a fire time has made one task or none.
 */
@Component
class ScheduleFires implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFires.class);

    private final TaskStore store;
    private final TaskLedger ledger;
    private final Dispatcher dispatcher;
    private final ScheduleProperties properties;
    private final Clock clock;
    private final ScheduleMetrics metrics;
    private final ScheduleTimer timer;
    private volatile boolean leading;

    ScheduleFires(TaskStore store, TaskLedger ledger, Dispatcher dispatcher, ScheduleProperties properties, Clock clock,
                  MeterRegistry meters) {
        this.store = store;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.clock = clock;
        this.metrics = new ScheduleMetrics(meters);
        this.timer = new ScheduleTimer(clock, this::fireDue);
    }

    /** This scheduler took the lead: the schedules catch up with what they missed, then fire. */
    void lead(Collection<Schedule> schedules) {
        leading = true;
        // what catchUp fires is on its way to the store once it returns
        timer.execute(() -> schedules.forEach(this::catchUp));
    }

    /** This scheduler lost the lead: nothing fires any more. */
    void stop() {
        leading = false;
        timer.clear();
    }

    boolean leading() {
        return leading;
    }

    /**
     * The last task the schedule fired is final: a fire time held back for it fires now. The
     * schedule's lock is taken on the timer's thread, never by the caller, who may hold the task's
     * (the fires take a task's lock under the schedule's).
     */
    void previousEnded(Schedule schedule) {
        timer.execute(() -> {
            if (schedule.row().bufferedFireAt() != null) {
                fireIfDue(schedule, now());
            }
        });
    }

    @Override
    public void close() {
        leading = false;
        timer.close();
    }

    /** On the timer's thread: fires every schedule that is due. */
    void fireDue() {
        Instant now = now();
        for (Schedule schedule : timer.takeDue(now)) {
            try {
                fireIfDue(schedule, now);
            } catch (RuntimeException e) {
                log.error("Schedule {} could not fire", schedule.row().id(), e);
            }
        }
    }

    private void fireIfDue(Schedule schedule, Instant now) {
        synchronized (schedule) {
            if (!leading || schedule.paused()) {
                return;
            }
            ScheduleRow row = schedule.row();
            if (row.bufferedFireAt() != null && !previousRuns(row)) {
                fire(schedule, new Fire(row.bufferedFireAt(), Fire.Reason.BUFFERED), row.nextFireAt(), null);
                row = schedule.row();
            }
            Instant due = schedule.dueAt();
            if (due == null || due.isAfter(now)) {
                armFor(schedule, schedule.version());
                return;
            }
            Instant next = schedule.times().after(row.nextFireAt()).orElse(null);
            if (row.spec().overlap() != OverlapPolicy.ALLOW && previousRuns(row)) {
                overlapped(schedule, row, next);
                return;
            }
            // the clock again, not the wake-up's instant: behind a burst of fires due together, each is later
            metrics.lag(Duration.between(due, clock.instant()));
            fire(schedule, new Fire(row.nextFireAt(), Fire.Reason.TIME), next, row.bufferedFireAt());
        }
    }

    /** A fire time came while the previous task runs: it is dropped, or held back when none is yet. */
    private void overlapped(Schedule schedule, ScheduleRow row, Instant next) {
        OverlapPolicy overlap = row.spec().overlap();
        metrics.overlapped(overlap);
        Instant buffered = overlap == OverlapPolicy.BUFFER_ONE && row.bufferedFireAt() == null
                ? row.nextFireAt() : row.bufferedFireAt();
        advance(schedule, row, next, buffered);
    }

    /**
     * Catches up with the fire times a schedule missed up to now, as its misfire policy says: on
     * taking the lead, and on resuming it.
     *
     * @return completes once what it fired is stored
     */
    Mono<Void> catchUp(Schedule schedule) {
        synchronized (schedule) {
            ScheduleRow row = schedule.row();
            Instant now = now();
            if (!leading || schedule.paused() || row.nextFireAt() == null || row.nextFireAt().isAfter(now)) {
                armFor(schedule, schedule.version());
                return Mono.empty();
            }
            CatchUp missed = CatchUp.of(schedule.times(), row.nextFireAt(), now, ScheduleSpec.MAX_CATCH_UP);
            MisfirePolicy policy = row.spec().misfire();
            metrics.missed(missed.missed().size(), policy);
            log.info("Schedule {} missed {}{} fire times from {}; misfire policy {}", row.id(), missed.missed().size(),
                    missed.more() ? "+" : "", row.nextFireAt(), policy);
            return switch (policy) {
                case SKIP -> {
                    advance(schedule, row, missed.next(), row.bufferedFireAt());
                    yield Mono.empty();
                }
                case FIRE_ONCE -> fireOnce(schedule, row, missed);
                case FIRE_ALL -> fireAll(schedule, row, missed);
            };
        }
    }

    /** One task for all the missed fire times, for the first of them, unless the previous task runs. */
    private Mono<Void> fireOnce(Schedule schedule, ScheduleRow row, CatchUp missed) {
        if (row.spec().overlap() != OverlapPolicy.ALLOW && previousRuns(row)) {
            overlapped(schedule, row.movedOn(missed.missed().get(0), row.bufferedFireAt(), row.updatedAt()),
                    missed.next());
            return Mono.empty();
        }
        return fire(schedule, new Fire(missed.missed().get(0), Fire.Reason.MISFIRE), missed.next(),
                row.bufferedFireAt()).then();
    }

    /** One task for each missed fire time, oldest first, each stored with the row that counts it. */
    private Mono<Void> fireAll(Schedule schedule, ScheduleRow row, CatchUp missed) {
        List<Instant> times = missed.missed();
        for (int i = 0; i < times.size(); i++) {
            Instant next = i + 1 < times.size() ? times.get(i + 1) : missed.next();
            fire(schedule, new Fire(times.get(i), Fire.Reason.MISFIRE), next, row.bufferedFireAt());
        }
        return Mono.empty();
    }

    /**
     * Fires the schedule: a task for the fire, stored with the schedule's new state in one commit,
     * queued for the workers once stored. Under the schedule's lock, so that its write is queued in
     * the order of its states. A fire whose task could not be stored is taken back and tried again
     * after the retry interval.
     *
     * @param next the schedule's next fire time after this fire
     * @param buffered the fire time held back after this fire, if any
     * @return the task, once stored; the fire is made whether or not the caller subscribes
     */
    Mono<Task> fire(Schedule schedule, Fire fire, Instant next, Instant buffered) {
        ScheduleRow before = schedule.row();
        String taskId = UUID.randomUUID().toString();
        ScheduleRow after = before.fired(fire.at(), taskId, before.fired() + 1, next, buffered, now());
        long version = schedule.change(after);
        armFor(schedule, version);
        Mono<Task> stored = ledger.createFired(taskId, keyed(before.spec().task(), fire.key(before.id())), after)
                .map(created -> {
                    if (!created.isNew()) {
                        sameInstant(schedule, version, before, after, created.task());
                        return created.task();
                    }
                    dispatcher.enqueue(created.task());
                    metrics.fired(fire.reason());
                    return created.task();
                })
                .doOnError(failure -> fireFailed(schedule, version, before, after, fire, failure))
                .cache();
        stored.subscribe(task -> { }, failed -> { });
        return stored;
    }

    /**
     * An earlier fire at the same instant made the task (two triggers in one millisecond): nothing was
     * stored, and the schedule names that task without counting it again.
     */
    private void sameInstant(Schedule schedule, long version, ScheduleRow before, ScheduleRow after, Task earlier) {
        ScheduleRow found = before.fired(after.lastFireAt(), earlier.id(), before.fired(), after.nextFireAt(),
                after.bufferedFireAt(), after.updatedAt());
        synchronized (schedule) {
            if (schedule.version() == version && !schedule.deleted()) {
                schedule.change(found);
                store.put(found);
            }
        }
    }

    private void fireFailed(Schedule schedule, long version, ScheduleRow before, ScheduleRow after, Fire fire,
                            Throwable failure) {
        metrics.failed();
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        boolean keyTaken = false;
        for (Throwable link = failure; link != null && !keyTaken; link = link.getCause()) {
            keyTaken = link instanceof DataIntegrityViolationException;
        }
        synchronized (schedule) {
            if (schedule.version() != version || schedule.deleted()) {
                return;
            }
            if (keyTaken) {
                // the store holds a task with the fire's key already: the fire happened, it is not made twice
                advance(schedule, before, after.nextFireAt(), after.bufferedFireAt());
                return;
            }
            long reverted = schedule.change(before);
            if (fire.reason() != Fire.Reason.TRIGGER) {
                timer.at(now().plus(properties.retryInterval()), schedule, reverted);
            }
        }
        PeerErrorLog.SHARED.warn("A fire of schedule " + before.id() + " at " + fire.at() + " could not be stored",
                cause instanceof ProtocolException refused ? refused.detail() : TaskStore.said(cause));
    }

    /** Moves the schedule to its next fire time without a task. */
    private void advance(Schedule schedule, ScheduleRow row, Instant next, Instant buffered) {
        ScheduleRow after = row.movedOn(next, buffered, now());
        long version = schedule.change(after);
        store.put(after).whenComplete((ok, failed) -> {
            if (failed != null) {
                PeerErrorLog.SHARED.warn("Schedule " + row.id() + " could not store its next fire time",
                        String.valueOf(failed.getMessage()));
            }
        });
        armFor(schedule, version);
    }

    void armFor(Schedule schedule, long version) {
        Instant due = schedule.dueAt();
        if (leading && due != null) {
            timer.at(due, schedule, version);
        }
    }

    /** @return whether the last task the schedule fired is not final yet */
    private boolean previousRuns(ScheduleRow row) {
        return row.lastTaskId() != null
                && ledger.find(row.lastTaskId()).map(task -> !task.status().isFinal()).orElse(false);
    }


    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static TaskSpec keyed(TaskSpec task, String key) {
        return new TaskSpec(task.type(), task.payload(), key, task.key(), task.timeoutMs(), task.maxAttempts(), null,
                task.routing());
    }
}
