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
}
