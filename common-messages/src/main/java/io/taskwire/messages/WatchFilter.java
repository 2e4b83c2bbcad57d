package io.taskwire.messages;

/**
 * What {@link Routes#TASK_WATCH} streams: one task's events (ending with its final state), one
 * type's, or every task's when both are absent.
 *
 * @param taskId only this task; optional
 * @param type only tasks of this type; optional
 */
public record WatchFilter(String taskId, String type) {

    public WatchFilter {
        Check.optionalId(taskId, "taskId");
        Check.optionalId(type, "type");
    }

    /**
     * @param event an event
     * @return whether the event passes this filter
     * @param eventType the type of the event's task
     */
    public boolean matches(TaskEvent event, String eventType) {
        return (taskId == null || taskId.equals(event.taskId())) && (type == null || type.equals(eventType));
    }
}
