package io.taskwire.scheduler.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.taskwire.scheduler.registry.WorkerJoined;
import io.taskwire.scheduler.registry.WorkerLeft;
import io.taskwire.scheduler.registry.WorkerSession;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One Resilience4j circuit breaker per worker, made from the shared {@code worker} configuration
 * ({@code resilience4j.circuitbreaker.configs.worker}) when the worker joins and removed when it
 * leaves. One worker's failures open only its own breaker; the dispatcher skips workers whose
 * breaker is open, and half-open trial calls go through as usual.
 */
@Component
public class WorkerBreakers {

    /** Name of the shared breaker configuration. */
    static final String CONFIG = "worker";

    private final CircuitBreakerRegistry breakers;
    private final ApplicationEventPublisher events;

    WorkerBreakers(CircuitBreakerRegistry breakers, ApplicationEventPublisher events) {
        this.breakers = breakers;
        this.events = events;
    }

    /** @return the worker's breaker, made from the shared configuration if it has none yet */
    public CircuitBreaker of(WorkerSession session) {
        return breakers.circuitBreaker(name(session.id()), CONFIG);
    }

    /**
     * @return the breaker of a live worker, made if the join has not made it yet; empty once the
     *         worker left, so that no breaker is made again for a departed worker
     */
    Optional<CircuitBreaker> find(WorkerSession session) {
        return session.offlineReason() == null ? Optional.of(of(session)) : Optional.empty();
    }

    /** @return whether tasks may be offered to the worker (it has a breaker, and it is not open) */
    boolean admits(WorkerSession session) {
        return find(session).map(CircuitBreaker::getState)
                .filter(state -> state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN)
                .isPresent();
    }

    /** @return the state of the worker's breaker, or NONE when it has none (it left) */
    public String state(WorkerSession session) {
        return breakers.find(name(session.id()))
                .filter(breaker -> session.offlineReason() == null)
                .map(breaker -> breaker.getState().name())
                .orElse("NONE");
    }

    @EventListener
    void on(WorkerJoined joined) {
        // a breaker that half-opens or closes may let waiting tasks go: tell the dispatcher
        of(joined.session()).getEventPublisher()
                .onStateTransition(transition -> events.publishEvent(new BreakerTransitioned(
                        joined.session().id(), transition.getStateTransition().getToState())));
    }

    @EventListener
    void on(WorkerLeft left) {
        breakers.remove(name(left.session().id()));
    }

    /**
     * A worker's breaker changed state.
     *
     * @param workerId the worker
     * @param state the new state
     */
    public record BreakerTransitioned(String workerId, CircuitBreaker.State state) {
    }

    /** @return the breaker's name for a worker, as {@code /actuator/circuitbreakers} lists it */
    public static String name(String workerId) {
        return "worker:" + workerId;
    }
}
