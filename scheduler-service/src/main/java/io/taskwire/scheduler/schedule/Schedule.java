package io.taskwire.scheduler.schedule;

import io.taskwire.messages.ScheduleView;
import io.taskwire.scheduler.store.ScheduleRow;
import java.time.Duration;
import java.time.Instant;

/**
 * One schedule as the leader holds it: its newest state (committed or on its way to the store), its
 * fire times, and a version that grows with every change, so that a wake-up or a failed fire meant
 * for an older state changes nothing. Changed only by {@link Schedules}, under this object's lock,
 * which also orders the schedule's writes to the store.
 */
final class Schedule {

    private ScheduleRow row;
    private FireTimes times;
    /** Read without the lock by the timer, which must not wait for a schedule's lock while holding its own. */
    private volatile long version;
    private boolean deleted;

    Schedule(ScheduleRow row, FireTimes times) {
        this.row = row;
        this.times = times;
    }

    synchronized ScheduleRow row() {
        return row;
    }

    synchronized FireTimes times() {
        return times;
    }

    long version() {
        return version;
    }

    synchronized boolean deleted() {
        return deleted;
    }

    /** @return the new version */
    synchronized long change(ScheduleRow next) {
        row = next;
        return ++version;
    }

    /** @return the new version */
    synchronized long replace(ScheduleRow next, FireTimes nextTimes) {
        times = nextTimes;
        return change(next);
    }

    synchronized void delete() {
        deleted = true;
        version++;
    }

    /**
     * @return when it is due next: its next fire time plus its jitter; null while paused, deleted or
     *         done. The jitter is drawn from the schedule id and the fire time, so that it is the same
     *         after a restart.
     */
    synchronized Instant dueAt() {
        if (paused() || row.nextFireAt() == null) {
            return null;
        }
        long jitter = row.spec().jitterMs();
        if (jitter == 0) {
            return row.nextFireAt();
        }
        long draw = Math.floorMod((row.id() + "@" + row.nextFireAt().toEpochMilli()).hashCode() * 0x9E3779B97F4A7C15L,
                jitter + 1);
        return row.nextFireAt().plus(Duration.ofMillis(draw));
    }

    synchronized boolean paused() {
        return deleted || row.paused();
    }

    synchronized ScheduleView view() {
        return new ScheduleView(row.id(), row.spec(), row.paused(), row.paused() ? null : row.nextFireAt(),
                row.lastFireAt(), row.lastTaskId(), row.fired(), row.createdAt(), row.updatedAt(), null, null);
    }
}
