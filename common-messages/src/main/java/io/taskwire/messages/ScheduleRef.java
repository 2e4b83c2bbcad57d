package io.taskwire.messages;

/**
 * Names one schedule ({@link Routes#SCHEDULE_GET} and the other routes on one schedule).
 *
 * @param scheduleId the schedule's id
 */
public record ScheduleRef(String scheduleId) {

    public ScheduleRef {
        Check.id(scheduleId, "scheduleId");
    }
}
