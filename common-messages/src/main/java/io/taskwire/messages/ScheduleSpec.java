package io.taskwire.messages;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A schedule as a client puts it ({@link Routes#SCHEDULE_PUT}): when to fire, and the task each fire
 * creates (PROTOCOL.md section 8). Exactly one of {@code cron} and {@code everyMs} is given. Absent
 * options take their defaults here, so that a stored spec says what the schedule does.
 *
 * <p>Each fire's task gets the idempotency key {@code schedule:<scheduleId>:<fire time>}; so that it
 * fits an id's 128 characters, a schedule id is at most {@value #MAX_SCHEDULE_ID_LENGTH}
 * characters, and {@code task} carries no idempotency key of its own. The cron expression itself is
 * checked by the scheduler, which knows its grammar.
 *
 * @param scheduleId the schedule's id
 * @param cron 5 fields (Unix, minutes first), 6 fields (seconds first) or a macro such as {@code @daily}
 * @param everyMs a fixed rate from {@code startAt}, at least {@value #MIN_EVERY_MS}
 * @param timeZone the IANA zone the cron expression is read in; {@code UTC} when absent
 * @param task the task each fire creates
 * @param misfire what fire times missed while no scheduler led or while paused come to; {@link MisfirePolicy#FIRE_ONCE} when absent
 * @param overlap what a fire time does while the previous task runs; {@link OverlapPolicy#SKIP} when absent
 * @param startAt no fire before; for {@code everyMs} the first fire time. Optional; milliseconds are kept, finer digits dropped
 * @param endAt no fire after; optional
 * @param jitterMs each fire is delayed by a random amount up to this; 0 when absent
 * @param paused whether the schedule is put paused; false when absent
 */
public record ScheduleSpec(
        String scheduleId,
        String cron,
        Long everyMs,
        String timeZone,
        TaskSpec task,
        MisfirePolicy misfire,
        OverlapPolicy overlap,
        Instant startAt,
        Instant endAt,
        Long jitterMs,
        Boolean paused) {

    /** Longest schedule id: {@code schedule:<id>:<fire time>} must fit an id's 128 characters. */
    public static final int MAX_SCHEDULE_ID_LENGTH = Protocol.MAX_ID_LENGTH - "schedule:".length() - ":".length()
            - "2026-01-01T00:00:00.000Z".length();
    /** Shortest fixed rate. */
    public static final long MIN_EVERY_MS = 1_000;
    /** Most tasks {@link MisfirePolicy#FIRE_ALL} fires for the fire times one catch-up finds. */
    public static final int MAX_CATCH_UP = 1_000;
    /** The zone of a spec that names none. */
    public static final String DEFAULT_TIME_ZONE = "UTC";

    public ScheduleSpec {
        Check.id(scheduleId, "scheduleId");
        if (scheduleId.length() > MAX_SCHEDULE_ID_LENGTH) {
            throw new InvalidMessageException("scheduleId", "must be at most " + MAX_SCHEDULE_ID_LENGTH
                    + " characters, so that each fire's idempotency key fits 128 (was " + scheduleId.length() + ")");
        }
        if ((cron == null) == (everyMs == null)) {
            throw new InvalidMessageException(cron == null ? "cron" : "everyMs",
                    "and " + (cron == null ? "everyMs" : "cron") + ": exactly one of the two is given (here "
                            + (cron == null ? "neither" : "both") + ")");
        }
        if (cron != null && cron.isBlank()) {
            throw new InvalidMessageException("cron", "must not be blank");
        }
        Check.optionalAtLeast(everyMs, MIN_EVERY_MS, "everyMs");
        timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException unknown) {
            throw new InvalidMessageException("timeZone", "is not an IANA time zone: '" + timeZone + "'");
        }
        Check.required(task, "task");
        if (task.idempotencyKey() != null) {
            throw new InvalidMessageException("task.idempotencyKey",
                    "must be absent: each fire's key is schedule:<scheduleId>:<fire time>");
        }
        misfire = misfire == null ? MisfirePolicy.FIRE_ONCE : misfire;
        overlap = overlap == null ? OverlapPolicy.SKIP : overlap;
        startAt = startAt == null ? null : startAt.truncatedTo(ChronoUnit.MILLIS);
        endAt = endAt == null ? null : endAt.truncatedTo(ChronoUnit.MILLIS);
        if (startAt != null && endAt != null && endAt.isBefore(startAt)) {
            throw new InvalidMessageException("endAt", "must not be before startAt (" + endAt + " < " + startAt + ")");
        }
        jitterMs = jitterMs == null ? 0L : jitterMs;
        Check.atLeast(jitterMs, 0, "jitterMs");
        paused = paused != null && paused;
    }

    /** @return the same schedule, paused or not */
    public ScheduleSpec withPaused(boolean isPaused) {
        return new ScheduleSpec(scheduleId, cron, everyMs, timeZone, task, misfire, overlap, startAt, endAt, jitterMs,
                isPaused);
    }
}
