package io.taskwire.scheduler.store;

import io.taskwire.messages.ScheduleSpec;
import java.time.Instant;

/**
 * A schedule as the store keeps it (PROTOCOL.md section 8): its spec and where it is in its fire
 * times. A fire's task is stored in the same transaction as the row that counts it, so that after a
 * crash or a takeover the row says exactly which fire times made a task.
 *
 * @param id the schedule id
 * @param spec the spec as put, its defaults filled in
 * @param paused whether it is paused
 * @param nextFireAt its next fire time not yet handled (also while paused, so that a resume knows
 *        what it missed); null once it will not fire again
 * @param lastFireAt the fire time of the last task it fired; null before the first
 * @param lastTaskId that task; null before the first
 * @param fired how many tasks it fired
 * @param bufferedFireAt a fire time held back by {@code overlap: BUFFER_ONE} until the last task
 *        ends; null for none
 * @param createdAt when it was first put
 * @param updatedAt when it last changed
 */
public record ScheduleRow(String id, ScheduleSpec spec, boolean paused, Instant nextFireAt, Instant lastFireAt,
                          String lastTaskId, long fired, Instant bufferedFireAt, Instant createdAt, Instant updatedAt) {

    /** @return the schedule paused, or resumed, at that instant */
    public ScheduleRow paused(boolean isPaused, Instant at) {
        return new ScheduleRow(id, spec.withPaused(isPaused), isPaused, nextFireAt, lastFireAt, lastTaskId, fired,
                bufferedFireAt, createdAt, at);
    }

    /** @return the schedule moved on to another next fire time (and held-back one) without a task */
    public ScheduleRow movedOn(Instant next, Instant buffered, Instant at) {
        return new ScheduleRow(id, spec, paused, next, lastFireAt, lastTaskId, fired, buffered, createdAt, at);
    }

    /**
     * @param fireAt the fire time of the task
     * @param taskId the task
     * @param count the schedule's count of tasks with it
     * @return the schedule once it fired that task
     */
    public ScheduleRow fired(Instant fireAt, String taskId, long count, Instant next, Instant buffered, Instant at) {
        return new ScheduleRow(id, spec, paused, next, fireAt, taskId, count, buffered, createdAt, at);
    }
}
