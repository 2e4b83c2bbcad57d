package io.taskwire.scheduler.store;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code store} health contributor, part of readiness: {@code OUT_OF_SERVICE} while the task
 * store cannot be written to (new tasks are refused with {@code UNAVAILABLE} meanwhile, and results wait
 * in the workers' outboxes), {@code UP} otherwise. Liveness never includes it: a database outage
 * does not call for a restart of the scheduler.
 */
@Component("store")
class StoreHealth implements HealthIndicator {

    private final TaskStore store;

    StoreHealth(TaskStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        Throwable unwritable = store.unwritable();
        Health.Builder health = unwritable == null ? Health.up() : Health.outOfService()
                .withDetail("error", "the task store cannot be written to: " + TaskStore.said(unwritable));
        return health.withDetail("durable", store.durable()).withDetail("queuedWrites", store.queuedWrites()).build();
    }
}
