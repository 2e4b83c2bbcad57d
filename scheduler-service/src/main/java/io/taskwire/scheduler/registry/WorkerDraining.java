package io.taskwire.scheduler.registry;

/**
 * A worker takes no new tasks from now on.
 *
 * @param session its session
 */
public record WorkerDraining(WorkerSession session) {
}
