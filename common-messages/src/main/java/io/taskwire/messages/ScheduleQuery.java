package io.taskwire.messages;

/**
 * What {@link Routes#SCHEDULE_LIST} asks for.
 *
 * @param limit at most this many schedules, 1 to {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} when absent
 */
public record ScheduleQuery(Integer limit) {

    /** Most schedules one list returns. */
    public static final int MAX_LIMIT = 1000;
    /** How many a list returns when no limit is given. */
    public static final int DEFAULT_LIMIT = 100;

    public ScheduleQuery {
        limit = limit == null ? DEFAULT_LIMIT : limit;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidMessageException("limit", "must lie between 1 and " + MAX_LIMIT + " (was " + limit + ")");
        }
    }
}
