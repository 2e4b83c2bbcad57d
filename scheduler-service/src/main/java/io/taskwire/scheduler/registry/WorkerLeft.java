package io.taskwire.scheduler.registry;

/**
 * A worker went offline: its connection closed or its heartbeats stopped. Published once per session.
 *
 * @param session its session, now {@link WorkerStatus#OFFLINE}
 * @param reason why, for logs and views
 */
public record WorkerLeft(WorkerSession session, String reason) {
}
