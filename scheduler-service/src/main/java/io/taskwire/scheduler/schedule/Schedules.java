package io.taskwire.scheduler.schedule;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.leadership.LeadershipAcquired;
import io.taskwire.scheduler.leadership.LeadershipLost;
import io.taskwire.scheduler.store.ScheduleRow;
import io.taskwire.scheduler.store.TaskStore;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The schedules (PROTOCOL.md section 8) and what clients do to them: put, read, pause, resume,
 * trigger, delete. Each change of a schedule is made under its lock, where its write to the store is
 * queued, so that its writes reach the store in the order of its states; {@link ScheduleFires} fires
 * them under the same lock. Only the leader holds schedules: taking the lead loads them from the
 * store, and its fires catch up with the fire times missed meanwhile.
 */
@Service
@EnableConfigurationProperties(ScheduleProperties.class)
public class Schedules {

    /** How many next fire times and recent tasks one schedule's read shows. */
    static final int UPCOMING = 5;
    static final int RECENT = 10;
    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private final Map<String, Schedule> held = new ConcurrentHashMap<>();
    /** The ids of schedules put, paused, resumed or deleted, once stored, for whoever follows them. */
    private final Sinks.Many<String> changed = Sinks.many().multicast().directBestEffort();
    /** Two changes committed at once take turns at announcing. */
    private static final Sinks.EmitFailureHandler RACING = Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100));
    private final TaskStore store;
    private final TaskLedger ledger;
    private final ScheduleFires fires;
    private final ScheduleProperties properties;

    Schedules(TaskStore store, TaskLedger ledger, ScheduleFires fires, ScheduleProperties properties,
              MeterRegistry meters) {
        this.store = store;
        this.ledger = ledger;
        this.fires = fires;
        this.properties = properties;
        Gauge.builder("taskwire.schedules", held::size).description("Schedules held, paused ones included")
                .register(meters);
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
        if (!held.isEmpty()) {
            log.info("Loaded {} schedules from the store", held.size());
        }
        fires.lead(List.copyOf(held.values()));
    }

    /** This scheduler lost the lead: it fires nothing more; the new leader goes on from the store. */
    @EventListener
    void on(LeadershipLost lost) {
        fires.stop();
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
            fires.armFor(schedule, version);
            if (existing == null) {
                write.whenComplete((ok, failed) -> forgetUnstored(schedule, version, failed));
            }
        }
        return committed(write, spec.scheduleId()).then(Mono.fromCallable(() -> schedule.view()
                .withDetail(times.after(now.minusMillis(1), UPCOMING), null)));
    }

    /** @return the change once stored, announced then to {@link #changes()} */
    private Mono<Void> committed(CompletableFuture<Void> write, String scheduleId) {
        return TaskLedger.committed(write).doOnSuccess(stored -> changed.emitNext(scheduleId, RACING));
    }

    /**
     * @return the ids of schedules put, paused, resumed or deleted from now on, each once stored; a
     *         follower that falls behind misses changes rather than holding them (fires are tasks:
     *         {@link TaskLedger#watch})
     */
    public Flux<String> changes() {
        return changed.asFlux().onBackpressureLatest();
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
                fires.armFor(schedule, schedule.change(before));
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
        return list(spec -> true, limit);
    }

    /** @return the schedules whose spec matches, by id, at most {@code limit} */
    public List<ScheduleView> list(Predicate<ScheduleSpec> matching, int limit) {
        requireLead();
        return held.values().stream().map(Schedule::view).filter(view -> matching.test(view.spec()))
                .sorted(Comparator.comparing(ScheduleView::scheduleId)).limit(limit).toList();
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
        return committed(write, scheduleId).then(Mono.fromCallable(schedule::view));
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
            caughtUp = fires.catchUp(schedule);
        }
        return committed(write, scheduleId).then(caughtUp).then(Mono.fromCallable(schedule::view));
    }

    /** Fires the schedule now, paused or not, whatever its previous task is doing; its fire times stay as they are. */
    public Mono<TaskView> trigger(String scheduleId) {
        Schedule schedule = find(scheduleId);
        synchronized (schedule) {
            ScheduleRow row = schedule.row();
            return fires.fire(schedule, new Fire(now(), Fire.Reason.TRIGGER), row.nextFireAt(), row.bufferedFireAt())
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
                    fires.armFor(back, back.version());
                }
            });
        }
        return committed(write, scheduleId).then(Mono.fromCallable(schedule::view));
    }

    /**
     * A task a schedule fired is final: a fire time its schedule held back for it fires now. Called
     * under the task's lock, so the schedule's lock is taken on the timer's thread, never under it
     * (the fires take a task's lock under the schedule's).
     */
    void taskEnded(Task task) {
        Schedule schedule = held.get(task.scheduleId());
        if (schedule != null) {
            fires.previousEnded(schedule);
        }
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
        if (!fires.leading()) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "this scheduler does not lead: it holds no schedules");
        }
    }

    private Instant now() {
        return fires.now();
    }

    private static ProtocolException neverFires(ScheduleSpec spec) {
        if (spec.endAt() != null) {
            return new ProtocolException(ErrorCode.INVALID_REQUEST, "endAt: the schedule has no fire time from now until "
                    + spec.endAt());
        }
        return new ProtocolException(ErrorCode.INVALID_REQUEST, "cron: '" + spec.cron() + "' matches no date from now on");
    }
}
