package io.taskwire.scheduler.task;

import io.taskwire.messages.TaskEvent;

/** Told of every change the ledger records, under the task's lock: keep it quick and non-blocking. */
public interface TaskObserver {

    /**
     * @param task the task that changed
     * @param event its new status
     */
    void changed(Task task, TaskEvent event);
}
