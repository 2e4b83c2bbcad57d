package io.taskwire.worker.connection;

import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code worker.config}: the scheduler's slots and drain go to the {@link WorkerConfigListener}s, then
 * the first one on a connection registers it.
 */
@Controller
class WorkerConfigController {

    private final SchedulerConnection connection;
    private final ObjectProvider<WorkerConfigListener> listeners;

    WorkerConfigController(SchedulerConnection connection, ObjectProvider<WorkerConfigListener> listeners) {
        this.connection = connection;
        this.listeners = listeners;
    }

    @MessageMapping(Routes.WORKER_CONFIG)
    void config(WorkerConfig config) {
        listeners.orderedStream().forEach(listener -> listener.configured(config));
        connection.configured(config);
    }
}
