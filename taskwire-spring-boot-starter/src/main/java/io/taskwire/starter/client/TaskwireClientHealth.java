package io.taskwire.starter.client;

import io.taskwire.client.TaskwireClient;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code taskwireClient} health: {@code UP} with the scheduler it is connected to (the leader); {@code
 * UNKNOWN} while it holds no connection, which it dials at its next call.
 */
public class TaskwireClientHealth extends AbstractHealthIndicator {

    private final TaskwireClient client;

    public TaskwireClientHealth(TaskwireClient client) {
        super("the Taskwire client's health could not be read");
        this.client = client;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        client.connectedTo().ifPresentOrElse(
                leader -> health.up().withDetail("leader", leader.toString()),
                () -> health.unknown().withDetail("leader", "not connected; the next call dials"));
    }
}
