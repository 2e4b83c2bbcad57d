package io.taskwire.messages;

/**
 * Names one task ({@link Routes#TASK_GET}, {@link Routes#TASK_ABORT}).
 *
 * @param taskId the task's id
 */
public record TaskRef(String taskId) {

    public TaskRef {
        Check.id(taskId, "taskId");
    }
}
