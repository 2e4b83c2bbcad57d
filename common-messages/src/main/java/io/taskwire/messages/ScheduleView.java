package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A schedule as the scheduler reports it (PROTOCOL.md section 8).
 *
 * @param scheduleId the schedule's id
 * @param spec the spec as stored, its defaults filled in
 * @param paused whether it is paused now
 * @param nextFireAt its next fire time; absent while paused and once it will not fire again
 * @param lastFireAt the fire time of the last task it fired, if any
 * @param lastTaskId the last task it fired, if any
 * @param fired how many tasks it fired
 * @param createdAt when it was first put
 * @param updatedAt when it was last put, paused, resumed or fired
 * @param nextFireTimes beyond the protocol, in {@code schedule.get} and {@code GET /api/v1/schedules/{id}}
 *        only: its next fire times (at most 5), in order; absent elsewhere
 * @param recentTasks beyond the protocol, likewise: the last tasks it fired (at most 10), newest first,
 *        each as it is now; absent elsewhere
 */
public record ScheduleView(
        String scheduleId,
        ScheduleSpec spec,
        @JsonProperty(required = true) boolean paused,
        Instant nextFireAt,
        Instant lastFireAt,
        String lastTaskId,
        @JsonProperty(required = true) long fired,
        Instant createdAt,
        Instant updatedAt,
        List<Instant> nextFireTimes,
        List<TaskView> recentTasks) {

    public ScheduleView {
        Check.id(scheduleId, "scheduleId");
        Check.required(spec, "spec");
        Check.optionalId(lastTaskId, "lastTaskId");
        Check.atLeast(fired, 0, "fired");
        Check.required(createdAt, "createdAt");
        Check.required(updatedAt, "updatedAt");
        nextFireTimes = nextFireTimes == null ? null : Check.list(nextFireTimes, "nextFireTimes");
        recentTasks = recentTasks == null ? null : Check.list(recentTasks, "recentTasks");
    }

    /** @return the same view with the next fire times and the recent tasks, as one schedule's read shows them */
    public ScheduleView withDetail(List<Instant> next, List<TaskView> recent) {
        return new ScheduleView(scheduleId, spec, paused, nextFireAt, lastFireAt, lastTaskId, fired, createdAt,
                updatedAt, next, recent);
    }
}
