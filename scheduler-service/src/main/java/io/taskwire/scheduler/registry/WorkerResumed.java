package io.taskwire.scheduler.registry;

/**
 * A drained worker takes new tasks again.
 *
 * @param session its session
 */
public record WorkerResumed(WorkerSession session) {
}
