package io.taskwire.scheduler.registry;

/** A worker's state as the registry sees it. */
public enum WorkerStatus {
    /** Connected, heartbeating, with free slots. */
    ONLINE,
    /** Connected and heartbeating, every slot in use. */
    BUSY,
    /** Connected, finishing its tasks, taking no new ones. */
    DRAINING,
    /** Gone: its connection closed or its heartbeats stopped. */
    OFFLINE
}
