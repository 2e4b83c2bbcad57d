package io.taskwire.scheduler.task;

import io.taskwire.messages.TaskStatus;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks live. The in-memory store keeps them for the life of the process; a durable store
 * can replace it behind this interface.
 */
public interface TaskStore {

    /**
     * Adds a task, or returns the task already stored under the same idempotency key.
     *
     * @param task the new task
     * @return the task now stored for that key: {@code task} itself, or the earlier one
     */
    Task add(Task task);

    Optional<Task> find(String taskId);

    /**
     * @param status only tasks in this status; null for any
     * @param type only tasks of this type; null for any
     * @param limit at most this many, newest first
     * @return the matching tasks
     */
    List<Task> list(TaskStatus status, String type, int limit);

    /** Called once when a task reaches a final state, so the store can apply its retention. */
    void finished(Task task);

    /** @return how many tasks are stored */
    int size();
}
