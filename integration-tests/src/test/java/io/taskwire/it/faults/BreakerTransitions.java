package io.taskwire.it.faults;

import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The state changes of one circuit breaker from now on, each with the moment it happened. */
final class BreakerTransitions {

    private final CircuitBreaker breaker;
    private final ConcurrentLinkedQueue<Transition> seen = new ConcurrentLinkedQueue<>();

    private BreakerTransitions(CircuitBreaker breaker) {
        this.breaker = breaker;
    }

    static BreakerTransitions of(CircuitBreaker breaker) {
        BreakerTransitions transitions = new BreakerTransitions(breaker);
        breaker.getEventPublisher().onStateTransition(event ->
                transitions.seen.add(new Transition(event.getStateTransition(), System.nanoTime())));
        return transitions;
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** @return the transitions so far, oldest first */
    List<Transition> all() {
        return List.copyOf(seen);
    }

    /** @return the transitions so far as {@code CLOSED_TO_OPEN}, ..., for messages and figures */
    List<CircuitBreaker.StateTransition> names() {
        return all().stream().map(Transition::transition).toList();
    }

    /** Waits until the breaker changed into the state, and returns that latest change. */
    Transition awaitState(CircuitBreaker.State state, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(5)).until(() -> !seen.isEmpty() && last().to() == state);
        return last();
    }

    private Transition last() {
        List<Transition> all = all();
        return all.get(all.size() - 1);
    }

    /**
     * @param transition from which state to which
     * @param atNanos when, on {@link System#nanoTime()}
     */
    record Transition(CircuitBreaker.StateTransition transition, long atNanos) {

        CircuitBreaker.State to() {
            return transition.getToState();
        }
    }
}
