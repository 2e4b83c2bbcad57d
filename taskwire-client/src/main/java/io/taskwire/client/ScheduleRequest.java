package io.taskwire.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskwire.client.error.InvalidRequestException;
import io.taskwire.messages.InvalidMessageException;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A schedule to put: its id, when it fires (a cron expression or a fixed rate), the task each fire
 * creates, and options. Immutable: each option returns a new request.
 *
 * <pre>{@code
 * ScheduleRequest nightly = ScheduleRequest.cron("nightly-report", "0 2 * * *",
 *                 TaskRequest.of("report", new Report("daily")))
 *         .timeZone("Europe/Berlin")
 *         .misfire(MisfirePolicy.SKIP);
 * ScheduleRequest polling = ScheduleRequest.every("poll-feeds", Duration.ofMinutes(5),
 *                 TaskRequest.of("poll", new Feeds("news")))
 *         .jitter(Duration.ofSeconds(30))
 *         .overlap(OverlapPolicy.BUFFER_ONE);
 * }</pre>
 *
 * <p>The rules of PROTOCOL.md section 8 are checked before anything is sent, except the cron
 * expression's grammar, which the scheduler reads: a request that breaks one gets
 * {@link InvalidRequestException} naming the field, the task's fields as {@code task.<field>}.
 * Each fire's task gets the idempotency key {@code schedule:<id>:<fire time>}, so the task may
 * carry none of its own.
 */
public final class ScheduleRequest {

    private final String scheduleId;
    private final String cron;
    private final Duration every;
    private final TaskRequest task;
    private final String timeZone;
    private final MisfirePolicy misfire;
    private final OverlapPolicy overlap;
    private final Instant startAt;
    private final Instant endAt;
    private final Duration jitter;
    private final boolean paused;

    private ScheduleRequest(String scheduleId, String cron, Duration every, TaskRequest task, String timeZone,
                            MisfirePolicy misfire, OverlapPolicy overlap, Instant startAt, Instant endAt,
                            Duration jitter, boolean paused) {
        this.scheduleId = scheduleId;
        this.cron = cron;
        this.every = every;
        this.task = task;
        this.timeZone = timeZone;
        this.misfire = misfire;
        this.overlap = overlap;
        this.startAt = startAt;
        this.endAt = endAt;
        this.jitter = jitter;
        this.paused = paused;
    }

    /**
     * @param scheduleId the schedule's id, at most {@value ScheduleSpec#MAX_SCHEDULE_ID_LENGTH} characters
     * @param cron 5 fields (Unix: minute hour day-of-month month day-of-week), 6 (seconds first) or a
     *             macro such as {@code @daily}; read in {@link #timeZone}, UTC unless set
     * @param task the task each fire creates
     * @return a request with every option at its default
     */
    public static ScheduleRequest cron(String scheduleId, String cron, TaskRequest task) {
        return new ScheduleRequest(scheduleId, cron, null, task, null, null, null, null, null, null, false);
    }

    /**
     * @param scheduleId the schedule's id, at most {@value ScheduleSpec#MAX_SCHEDULE_ID_LENGTH} characters
     * @param every the fixed rate, whole milliseconds, at least a second; counted from {@link #startAt},
     *              or from when the schedule is first put
     * @param task the task each fire creates
     * @return a request with every option at its default
     */
    public static ScheduleRequest every(String scheduleId, Duration every, TaskRequest task) {
        return new ScheduleRequest(scheduleId, null, every, task, null, null, null, null, null, null, false);
    }

    /** @return this request with the IANA zone its cron expression is read in, such as {@code Europe/Berlin} */
    public ScheduleRequest timeZone(String timeZone) {
        return new ScheduleRequest(scheduleId, cron, every, task, timeZone, misfire, overlap, startAt, endAt, jitter,
                paused);
    }

    /** @return this request with what fire times missed while no scheduler led, or while paused, come to */
    public ScheduleRequest misfire(MisfirePolicy misfire) {
        return new ScheduleRequest(scheduleId, cron, every, task, timeZone, misfire, overlap, startAt, endAt, jitter,
                paused);
    }

    /** @return this request with what a fire time does while the schedule's previous task still runs */
    public ScheduleRequest overlap(OverlapPolicy overlap) {
        return new ScheduleRequest(scheduleId, cron, every, task, timeZone, misfire, overlap, startAt, endAt, jitter,
                paused);
    }

    /** @return this request firing at no time before this one; a fixed rate's first fire time */
    public ScheduleRequest startAt(Instant startAt) {
        return new ScheduleRequest(scheduleId, cron, every, task, timeZone, misfire, overlap, startAt, endAt, jitter,
                paused);
    }

    /** @return this request firing at no time after this one */
    public ScheduleRequest endAt(Instant endAt) {
        return new ScheduleRequest(scheduleId, cron, every, task, timeZone, misfire, overlap, startAt, endAt, jitter,
                paused);
    }

    /** @return this request with each fire delayed by up to this much (whole milliseconds), the same delay after a restart */
    public ScheduleRequest jitter(Duration jitter) {
        return new ScheduleRequest(scheduleId, cron, every, task, timeZone, misfire, overlap, startAt, endAt, jitter,
                paused);
    }

    /** @return this request put paused: it fires nothing until resumed */
    public ScheduleRequest paused() {
        return new ScheduleRequest(scheduleId, cron, every, task, timeZone, misfire, overlap, startAt, endAt, jitter,
                true);
    }

    /** @return the schedule's id */
    public String scheduleId() {
        return scheduleId;
    }

    /**
     * The spec as it goes on the wire.
     *
     * @param mapper writes the task's payload
     * @throws InvalidRequestException naming the field that breaks a rule of the protocol
     */
    ScheduleSpec toSpec(ObjectMapper mapper) {
        if (task == null) {
            throw new InvalidRequestException("task is required", "task", null);
        }
        TaskSpec taskSpec;
        try {
            taskSpec = task.toSpec(mapper);
        } catch (InvalidRequestException invalid) {
            // its message starts with the field it names, after the code
            String detail = invalid.getMessage().substring((invalid.code() + ": ").length());
            String field = invalid.field() == null ? "task" : "task." + invalid.field();
            throw new InvalidRequestException("task." + detail, field, invalid);
        }
        try {
            return new ScheduleSpec(scheduleId, cron, millis(every, "everyMs"), timeZone, taskSpec, misfire, overlap,
                    startAt, endAt, millis(jitter, "jitterMs"), paused);
        } catch (InvalidMessageException invalid) {
            throw new InvalidRequestException(invalid.getMessage(), invalid.field(), invalid);
        }
    }

    /** @return whole milliseconds; null for null; a negative duration stays negative, for the spec to refuse */
    private static Long millis(Duration duration, String field) {
        if (duration == null) {
            return null;
        }
        try {
            return duration.toMillis();
        } catch (ArithmeticException tooLong) {
            throw new InvalidRequestException(field + " does not fit in a long: " + duration, field, tooLong);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScheduleRequest that && paused == that.paused
                && Objects.equals(scheduleId, that.scheduleId) && Objects.equals(cron, that.cron)
                && Objects.equals(every, that.every) && Objects.equals(task, that.task)
                && Objects.equals(timeZone, that.timeZone) && misfire == that.misfire && overlap == that.overlap
                && Objects.equals(startAt, that.startAt) && Objects.equals(endAt, that.endAt)
                && Objects.equals(jitter, that.jitter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleId, cron, every, task, timeZone, misfire, overlap, startAt, endAt, jitter, paused);
    }

    @Override
    public String toString() {
        return "ScheduleRequest[scheduleId=" + scheduleId + (cron != null ? ", cron=" + cron : ", every=" + every) + "]";
    }
}
