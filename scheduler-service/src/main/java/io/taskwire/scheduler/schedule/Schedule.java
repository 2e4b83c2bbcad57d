package io.taskwire.scheduler.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.taskwire.messages.Json;
import io.taskwire.messages.Routing;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskSpec;
import io.taskwire.scheduler.store.ScheduleRow;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * One schedule as the leader holds it: its newest state (committed or on its way to the store), its
 * fire times, and a version that grows with every change, so that a wake-up or a failed fire meant
 * for an older state changes nothing. Changed only by {@link Schedules}, under this object's lock,
 * which also orders the schedule's writes to the store.
 *
 * <p>A leader may hold 100,000 schedules, so each is held compactly: its task's payload as the JSON
 * text it is written as (a third of the tree's heap), which the tasks it fires share and which is
 * written out unchanged to the store and the workers; and its task type, time zone and default
 * routing as one shared copy.
 */
final class Schedule {

    private ScheduleRow row;
    private FireTimes times;
    /** Read without the lock by the timer, which must not wait for a schedule's lock while holding its own. */
    private volatile long version;
    private boolean deleted;

    Schedule(ScheduleRow row, FireTimes times) {
        this.row = compact(row);
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
        row = compact(next);
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

    /**
     * @return the row with its task's payload as its JSON text and its repeated texts shared; the
     *         same row when it is so already
     */
    private static ScheduleRow compact(ScheduleRow row) {
        ScheduleSpec spec = row.spec();
        TaskSpec task = spec.task();
        if (task.payload() instanceof POJONode) {
            return row;
        }
        TaskSpec held = new TaskSpec(task.type().intern(), asText(task.payload()), task.idempotencyKey(), task.key(),
                task.timeoutMs(), task.maxAttempts(), task.awaitMs(),
                task.routing().equals(Routing.DEFAULT) ? Routing.DEFAULT : task.routing());
        ScheduleSpec heldSpec = new ScheduleSpec(spec.scheduleId(), spec.cron(), spec.everyMs(), spec.timeZone().intern(),
                held, spec.misfire(), spec.overlap(), spec.startAt(), spec.endAt(), spec.jitterMs(), spec.paused());
        return new ScheduleRow(spec.scheduleId(), heldSpec, row.paused(), row.nextFireAt(), row.lastFireAt(),
                row.lastTaskId(), row.fired(), row.bufferedFireAt(), row.createdAt(), row.updatedAt());
    }

    /** @return a node that Jackson writes out as exactly this JSON text */
    private static JsonNode asText(JsonNode payload) {
        try {
            return JsonNodeFactory.instance.rawValueNode(new RawValue(Json.mapper().writeValueAsString(payload)));
        } catch (JsonProcessingException cannot) {
            // a tree read from JSON always writes back out
            throw new UncheckedIOException(cannot);
        }
    }
}
