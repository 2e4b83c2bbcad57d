package io.taskwire.worker.connection;

import io.taskwire.messages.WorkerConfig;

/**
 * Follows what the scheduler pushes in {@code worker.config} (slots, its drain), so that the
 * connection need not know who acts on it.
 */
public interface WorkerConfigListener {

    /** Called with each {@code worker.config}, before the first one counts the connection registered. */
    void configured(WorkerConfig config);
}
