package io.taskwire.scheduler.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.Dispatcher;
import io.taskwire.scheduler.leadership.LeadershipAcquired;
import io.taskwire.scheduler.leadership.LeadershipLost;
import io.taskwire.scheduler.store.ScheduleRow;
import io.taskwire.scheduler.store.TaskStore;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.transport.PeerErrorLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Every schedule's life (PROTOCOL.md section 8), in one place: what clients do to schedules (put,
 * pause, resume, trigger, delete), their fires, the fire times they missed, and what overlapping
 * fires come to. Each change of a schedule is made under its lock, where its write to the store is
 * queued, so that its writes reach the store in the order of its states. Only the leader holds
 * schedules and fires them: taking the lead loads them from the store and catches up with the fire
 * times missed meanwhile, as each schedule's misfire policy says.
 *
 * <p>A fire creates a normal task whose idempotency key is {@code schedule:<id>:<fire time>}, stored
 * in the same commit as the schedule row that counts it: after a crash or a takeover at any instant,
 * a fire time has made one task or none.
 */
@Service
@EnableConfigurationProperties(ScheduleProperties.class)
public class Schedules implements AutoCloseable {

    /** How many next fire times and recent tasks one schedule's read shows. */
    static final int UPCOMING = 5;
    static final int RECENT = 10;
    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private final Map<String, Schedule> held = new ConcurrentHashMap<>();
    private final TaskStore store;
    private final TaskLedger ledger;
    private final Dispatcher dispatcher;
    private final ScheduleProperties properties;
    private final Clock clock;
    private final ScheduleMetrics metrics;
    private final ScheduleTimer timer;
    private volatile boolean leading;

    Schedules(TaskStore store, TaskLedger ledger, Dispatcher dispatcher, ScheduleProperties properties, Clock clock,
              MeterRegistry meters) {
        this.store = store;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.clock = clock;
        this.metrics = new ScheduleMetrics(meters, held::size);
        this.timer = new ScheduleTimer(clock, this::fireDue);
    }

    // ---- the lead

    /** This scheduler took the lead: it loads the schedules and catches up with what they missed. */
    @EventListener
    void on(LeadershipAcquired acquired) {
        for (ScheduleRow row : store.schedules()) {
            try {
                held.put(row.id(), new Schedule(row, FireTimes.of(row.spec(), row.createdAt())));
            } catch (ProtocolException unreadable) {
                // stored by a version that read its expression otherwise: the others fire all the same
                log.error("Schedule {} is stored but cannot fire here: {}", row.id(), unreadable.detail());
            }
        }
        leading = true;
        if (!held.isEmpty()) {
            log.info("Loaded {} schedules from the store", held.size());
        }
        // what catchUp fires is on its way to the store once it returns
        timer.execute(() -> held.values().forEach(this::catchUp));
    }

    /** This scheduler lost the lead: it fires nothing more; the new leader goes on from the store. */
    @EventListener
    void on(LeadershipLost lost) {
        leading = false;
        timer.clear();
        held.clear();
    }

    // ---- what clients do

    /**
     * Creates or replaces a schedule. A replaced one keeps its count, its last task and its creation
     * time (a fixed rate without {@code startAt} keeps counting from it); its next fire time is the
     * new spec's first after now.
     *
     * @param dryRun only compute the view as it would be stored: nothing changes
     * @return its view with its next fire times, once stored
     */
    public Mono<ScheduleView> put(ScheduleSpec spec, boolean dryRun) {
        requireLead();
        Instant now = now();
        Schedule existing = held.get(spec.scheduleId());
        Instant createdAt = existing == null ? now : existing.row().createdAt();
        FireTimes times = FireTimes.of(spec, createdAt);
        Instant next = times.after(now.minusMillis(1)).orElseThrow(() -> neverFires(spec));
        ScheduleRow before = existing == null ? null : existing.row();
        ScheduleRow row = new ScheduleRow(spec.scheduleId(), spec, spec.paused(), next,
                before == null ? null : before.lastFireAt(), before == null ? null : before.lastTaskId(),
                before == null ? 0 : before.fired(), before == null ? null : before.bufferedFireAt(), createdAt, now);
        if (dryRun) {
            return Mono.just(new Schedule(row, times).view().withDetail(times.after(now.minusMillis(1), UPCOMING), null));
        }
        if (existing == null && held.size() >= properties.maxSchedules()) {
            throw new ProtocolException(ErrorCode.AT_CAPACITY, "the scheduler holds " + properties.maxSchedules()
                    + " schedules, its limit (taskwire.scheduler.schedules.max-schedules)");
        }
        Schedule schedule = held.computeIfAbsent(spec.scheduleId(), id -> new Schedule(row, times));
        CompletableFuture<Void> write;
        synchronized (schedule) {
            if (schedule.deleted()) {
                // deleted since it was looked up: put it anew
                return put(spec, false);
            }
            long version = schedule.replace(row, times);
            write = store.put(row);
            armFor(schedule, version);
            if (existing == null) {
                write.whenComplete((ok, failed) -> forgetUnstored(schedule, version, failed));
            }
        }
        return committed(write).then(Mono.fromCallable(() -> schedule.view()
                .withDetail(times.after(now.minusMillis(1), UPCOMING), null)));
    }

    /**
     * A change the store did not take is taken back, unless another came since: its client is told
     * {@code UNAVAILABLE}, and a retry must find the schedule as it was.
     */
    private void takeBack(Schedule schedule, long version, ScheduleRow before, Throwable failed) {
        if (failed == null) {
            return;
        }
        synchronized (schedule) {
            if (schedule.version() == version && !schedule.deleted()) {
                armFor(schedule, schedule.change(before));
            }
        }
    }

    /** A new schedule whose creation the store did not take is not held either: its client was told so. */
    private void forgetUnstored(Schedule schedule, long version, Throwable failed) {
        if (failed == null) {
            return;
        }
        synchronized (schedule) {
            if (schedule.version() == version) {
                schedule.delete();
                held.remove(schedule.row().id(), schedule);
            }
        }
    }

    /** @return the schedule with its next fire times and the last tasks it fired */
    public Mono<ScheduleView> get(String scheduleId) {
        Schedule schedule = find(scheduleId);
        ScheduleView view = schedule.view();
        Instant first = view.nextFireAt();
        List<Instant> next = first == null ? List.of() : schedule.times().after(first.minusMillis(1), UPCOMING);
        return ledger.firedBy(scheduleId, RECENT)
                .map(tasks -> view.withDetail(next, tasks.stream().map(Task::view).toList()));
    }

    /** @return the schedules by id, at most {@code limit} */
    public List<ScheduleView> list(int limit) {
        requireLead();
        return held.values().stream().map(Schedule::view).sorted(Comparator.comparing(ScheduleView::scheduleId))
                .limit(limit).toList();
    }

    /** Pauses a schedule: it fires nothing until resumed; the fire times meanwhile are missed. */
    public Mono<ScheduleView> pause(String scheduleId) {
        Schedule schedule = find(scheduleId);
        CompletableFuture<Void> write;
        synchronized (schedule) {
            ScheduleRow row = schedule.row();
            if (row.paused()) {
                return Mono.fromCallable(schedule::view);
            }
            long version = schedule.change(row.paused(true, now()));
            write = store.put(schedule.row());
            write.whenComplete((ok, failed) -> takeBack(schedule, version, row, failed));
        }
        return committed(write).then(Mono.fromCallable(schedule::view));
    }

    /**
     * Resumes a schedule, catching up with the fire times it missed as its misfire policy says; in one
     * step, so that no missed fire time fires as if it were on time.
     */
    public Mono<ScheduleView> resume(String scheduleId) {
        Schedule schedule = find(scheduleId);
        CompletableFuture<Void> write;
        Mono<Void> caughtUp;
        synchronized (schedule) {
            ScheduleRow row = schedule.row();
            if (!row.paused()) {
                return Mono.fromCallable(schedule::view);
            }
            long version = schedule.change(row.paused(false, now()));
            write = store.put(schedule.row());
            write.whenComplete((ok, failed) -> takeBack(schedule, version, row, failed));
            caughtUp = catchUp(schedule);
        }
        return committed(write).then(caughtUp).then(Mono.fromCallable(schedule::view));
    }

    /** Fires the schedule now, paused or not, whatever its previous task is doing; its fire times stay as they are. */
    public Mono<TaskView> trigger(String scheduleId) {
        Schedule schedule = find(scheduleId);
        synchronized (schedule) {
            ScheduleRow row = schedule.row();
            return fire(schedule, new Fire(now(), Fire.Reason.TRIGGER), row.nextFireAt(), row.bufferedFireAt())
                    .map(Task::view);
        }
    }

    /** Deletes a schedule; the tasks it fired stay. @return its last view, once the deletion is stored */
    public Mono<ScheduleView> delete(String scheduleId) {
        Schedule schedule = find(scheduleId);
        CompletableFuture<Void> write;
        synchronized (schedule) {
            schedule.delete();
            held.remove(scheduleId, schedule);
            write = store.deleteSchedule(scheduleId);
            write.whenComplete((ok, failed) -> {
                if (failed != null) {
                    // the row is still stored: the schedule stays, as its client is told
                    Schedule back = held.computeIfAbsent(scheduleId, id -> new Schedule(schedule.row(), schedule.times()));
                    armFor(back, back.version());
                }
            });
        }
        return committed(write).then(Mono.fromCallable(schedule::view));
    }

    /**
     * A task a schedule fired is final: a fire time its schedule held back for it fires now. Called
     * under the task's lock, so the schedule's lock is taken on the timer's thread, never under it
     * (the fires take a task's lock under the schedule's).
     */
    void taskEnded(Task task) {
        String scheduleId = task.scheduleId();
        timer.execute(() -> {
            Schedule schedule = held.get(scheduleId);
            if (schedule != null && schedule.row().bufferedFireAt() != null) {
                fireIfDue(schedule, now());
            }
        });
    }

    @Override
    public void close() {
        leading = false;
        timer.close();
    }

    // ---- fires

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
            metrics.lag(Duration.between(due, now));
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
    private Mono<Void> catchUp(Schedule schedule) {
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
    private Mono<Task> fire(Schedule schedule, Fire fire, Instant next, Instant buffered) {
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
        synchronized (schedule) {
            if (schedule.version() != version || schedule.deleted()) {
                return;
            }
            if (cause instanceof DataIntegrityViolationException) {
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
                String.valueOf(cause.getMessage()));
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

    private void armFor(Schedule schedule, long version) {
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

    private Schedule find(String scheduleId) {
        requireLead();
        Schedule schedule = held.get(scheduleId);
        if (schedule == null) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no schedule " + scheduleId);
        }
        return schedule;
    }

    private void requireLead() {
        if (!leading) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "this scheduler does not lead: it holds no schedules");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ProtocolException neverFires(ScheduleSpec spec) {
        if (spec.endAt() != null) {
            return new ProtocolException(ErrorCode.INVALID_REQUEST, "endAt: the schedule has no fire time from now until "
                    + spec.endAt());
        }
        return new ProtocolException(ErrorCode.INVALID_REQUEST, "cron: '" + spec.cron() + "' matches no date from now on");
    }

    private static TaskSpec keyed(TaskSpec task, String key) {
        return new TaskSpec(task.type(), task.payload(), key, task.key(), task.timeoutMs(), task.maxAttempts(), null,
                task.routing());
    }

    private static Mono<Void> committed(CompletableFuture<Void> write) {
        return Mono.fromFuture(write, true).onErrorMap(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            return cause instanceof ProtocolException ? cause : new ProtocolException(ErrorCode.UNAVAILABLE,
                    "the store could not take the schedule: " + TaskStore.said(cause));
        });
    }
}
