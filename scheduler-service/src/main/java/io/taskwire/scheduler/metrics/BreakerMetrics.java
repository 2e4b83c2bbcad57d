package io.taskwire.scheduler.metrics;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.scheduler.dispatch.WorkerBreakers;
import io.taskwire.scheduler.registry.WorkerRegistry;
import java.util.Locale;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The fleet's circuit breakers in a fixed number of series, however many workers there are:
 * {@code taskwire.workers.breakers} counts live workers by the {@code state} of their breaker, and
 * {@code taskwire.workers.breaker.transitions} counts moves by the state moved {@code to}. Resilience4j's
 * own meters, 16 series per breaker and so per worker, are off in the packaged configuration
 * ({@code resilience4j.circuitbreaker.metrics.enabled}); each worker's breaker stays visible at
 * {@code /actuator/circuitbreakers} and in the {@code workers} endpoint.
 */
@Component
class BreakerMetrics {

    private final MeterRegistry meters;

    BreakerMetrics(MeterRegistry meters, WorkerRegistry registry, WorkerBreakers breakers) {
        this.meters = meters;
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("taskwire.workers.breakers",
                            () -> registry.live().stream().filter(session -> breakers.state(session).equals(state.name())).count())
                    .description("Live workers whose circuit breaker is in this state")
                    .tag("state", tagValue(state))
                    .register(meters);
        }
    }

    @EventListener
    void on(WorkerBreakers.BreakerTransitioned transitioned) {
        meters.counter("taskwire.workers.breaker.transitions", "to", tagValue(transitioned.state())).increment();
    }

    private static String tagValue(CircuitBreaker.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
