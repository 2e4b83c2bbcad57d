package io.taskwire.messages;

/**
 * What a schedule does with the fire times it missed while no scheduler led or while it was paused
 * (PROTOCOL.md section 8).
 */
public enum MisfirePolicy {
    /** One task now for all the missed fire times (the default). */
    FIRE_ONCE,
    /** No task for them; the schedule goes on with its next fire time. */
    SKIP,
    /** One task for each missed fire time, oldest first, at most {@link ScheduleSpec#MAX_CATCH_UP}. */
    FIRE_ALL
}
