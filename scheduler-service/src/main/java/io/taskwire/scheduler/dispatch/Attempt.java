package io.taskwire.scheduler.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.Task;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt in flight. It ends exactly once: its slot goes back and its worker's breaker records
 * the outcome (a refusal or a cancel is not the worker's failure and records nothing).
 */
record Attempt(Task task, WorkerSession session, TaskAssignment assignment, CircuitBreaker breaker,
               long startedNanos, AtomicBoolean ended) {

    Attempt(Task task, WorkerSession session, TaskAssignment assignment, CircuitBreaker breaker) {
        this(task, session, assignment, breaker, System.nanoTime(), new AtomicBoolean());
    }

    /** @return whether the result is this attempt's: its task, its number and its fence */
    boolean answeredBy(TaskResult result) {
        return assignment.taskId().equals(result.taskId()) && assignment.attempt() == result.attempt()
                && assignment.fence().equals(result.fence());
    }

    void end(Throwable failure, boolean neutral) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        session.releaseSlot();
        long elapsed = System.nanoTime() - startedNanos;
        if (neutral) {
            breaker.releasePermission();
        } else if (failure == null) {
            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(elapsed, TimeUnit.NANOSECONDS, failure);
        }
    }
}
