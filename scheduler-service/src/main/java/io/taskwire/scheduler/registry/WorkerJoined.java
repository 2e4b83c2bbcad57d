package io.taskwire.scheduler.registry;

/**
 * A worker was accepted and registered.
 *
 * @param session its session
 */
public record WorkerJoined(WorkerSession session) {
}
