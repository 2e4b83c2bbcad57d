package io.taskwire.messages;

import java.util.Map;

/**
 * Where a task may run.
 *
 * @param strategy how to pick among eligible workers; {@link RoutingStrategy#ROUND_ROBIN} when absent
 * @param workerId the worker, required with {@link RoutingStrategy#PINNED}
 * @param labels labels the worker must carry, all of them; empty when absent
 */
public record Routing(RoutingStrategy strategy, String workerId, Map<String, String> labels) {

    /** Round robin over every worker, no label filter. */
    public static final Routing DEFAULT = new Routing(RoutingStrategy.ROUND_ROBIN, null, null);

    public Routing {
        strategy = strategy == null ? RoutingStrategy.ROUND_ROBIN : strategy;
        Check.optionalId(workerId, "workerId");
        if (strategy == RoutingStrategy.PINNED && workerId == null) {
            throw new InvalidMessageException("workerId", "is required with strategy PINNED");
        }
        labels = Check.labels(labels, "labels");
    }
}
