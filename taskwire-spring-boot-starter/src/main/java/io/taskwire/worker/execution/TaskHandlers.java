package io.taskwire.worker.execution;

import io.taskwire.worker.handler.TaskHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/** The task handlers in the context, by type; two handlers for one type stop the worker at start-up. */
@Component
public class TaskHandlers {

    private final Map<String, TaskHandler> byType = new HashMap<>();
    private final List<String> types;

    TaskHandlers(List<TaskHandler> handlers) {
        for (TaskHandler handler : handlers) {
            TaskHandler previous = byType.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for task type '" + handler.type() + "': "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        this.types = List.copyOf(new TreeSet<>(byType.keySet()));
    }

    /** @return the task types this worker handles, sorted, as it advertises them */
    public List<String> types() {
        return types;
    }

    Optional<TaskHandler> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }
}
