package io.taskwire.scheduler.health;

import io.taskwire.scheduler.dispatch.WorkerBreakers;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.registry.WorkerView;
import java.util.List;
import org.springframework.stereotype.Component;

/** Every worker the registry knows (live, then recently departed), with its breaker's state. */
@Component
public class WorkersView {

    private final WorkerRegistry registry;
    private final WorkerBreakers breakers;

    WorkersView(WorkerRegistry registry, WorkerBreakers breakers) {
        this.registry = registry;
        this.breakers = breakers;
    }

    /** @return one worker's view now */
    public WorkerView of(WorkerSession session) {
        return WorkerView.of(session, System.nanoTime(), breakers.state(session));
    }

    public List<WorkerView> all() {
        long now = System.nanoTime();
        return registry.all().stream()
                .map(session -> WorkerView.of(session, now, breakers.state(session)))
                .toList();
    }
}
