package io.taskwire.messages;

/** How the scheduler picks a worker among the eligible ones. */
public enum RoutingStrategy {
    /** Each eligible worker in turn. */
    ROUND_ROBIN,
    /** The worker with the smallest share of its slots in use. */
    LEAST_LOADED,
    /** The same {@code key} goes to the same worker while it is there (rendezvous hashing). */
    CONSISTENT_HASH,
    /** Any eligible worker, uniformly. */
    RANDOM,
    /** Only the worker named by {@code routing.workerId}. */
    PINNED
}
