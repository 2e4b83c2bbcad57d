package io.taskwire.scheduler.schedule;

import io.taskwire.messages.TaskEvent;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskObserver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Tells {@link Schedules} when a task a schedule fired is final, for the fire time it may hold back
 * ({@code overlap: BUFFER_ONE}). The ledger's observers are made before the ledger, and the schedules
 * after it: hence the provider.
 */
@Component
class ScheduledTaskEnds implements TaskObserver {

    private final ObjectProvider<Schedules> schedules;

    ScheduledTaskEnds(ObjectProvider<Schedules> schedules) {
        this.schedules = schedules;
    }

    @Override
    public void changed(Task task, TaskEvent event) {
        if (task.scheduleId() != null && event.status().isFinal()) {
            schedules.ifAvailable(owner -> owner.taskEnded(task));
        }
    }
}
