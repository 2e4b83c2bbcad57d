package io.taskwire.transport;

import java.util.Set;

/**
 * Which routes one side of a connection answers.
 *
 * @param peer who is calling, for messages ("worker", "client", "scheduler")
 * @param allowed routes the peer may call here
 * @param otherRole routes of another role: {@code FORBIDDEN} rather than {@code NOT_FOUND}
 * @param maxPayloadBytes the limit on the data of one request
 */
public record RoutePolicy(String peer, Set<String> allowed, Set<String> otherRole, int maxPayloadBytes) {

    public RoutePolicy {
        allowed = Set.copyOf(allowed);
        otherRole = Set.copyOf(otherRole);
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive");
        }
    }
}
