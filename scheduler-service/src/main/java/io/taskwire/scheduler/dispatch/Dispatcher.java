package io.taskwire.scheduler.dispatch;

import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.registry.WorkerDraining;
import io.taskwire.scheduler.registry.WorkerResumed;
import io.taskwire.scheduler.registry.WorkerJoined;
import io.taskwire.scheduler.registry.WorkerLeft;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.transport.TransportProperties;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What the rest of the scheduler sees of dispatch: pending tasks go in, results delivered by
 * {@code task.result} are recorded, and the registry's events tell the queue when to look again.
 * The life of each attempt, from the slot it takes to how it ends, is {@link Attempts}'.
 */
@Component
public class Dispatcher implements DisposableBean {

    /** Name of the Resilience4j retry configuration whose backoff spaces retries of failed attempts. */
    static final String RETRY = "dispatch";

    private final WorkerRegistry registry;
    private final MeterRegistry meters;
    private final Attempts attempts;
    private final DispatchQueue queue;
    /** {@code taskwire.results.delivered} by ack kind, found once rather than at every result. */
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();

    Dispatcher(TaskLedger ledger, WorkerRegistry registry, DispatchProperties properties, Clock clock,
               WorkerBreakers breakers, RetryRegistry retries, MeterRegistry meters, TransportProperties transport) {
        this.registry = registry;
        this.meters = meters;
        this.attempts = new Attempts(ledger, registry, breakers, properties,
                retries.retry(RETRY, RETRY).getRetryConfig().getIntervalBiFunction(), clock,
                transport.maxPayloadBytes(), meters);
        this.queue = attempts.queue();
    }

    /** Offers a pending task to the workers; it waits in the queue until one can take it. */
    public void enqueue(Task task) {
        queue.add(task);
    }

    /** Offers tasks together, so that the dispatcher can send those for one worker in one batch. */
    public void enqueueAll(List<Task> tasks) {
        queue.addAll(tasks);
    }

    /** @return tasks waiting for a worker */
    public int queued() {
        return queue.size();
    }

    /**
     * Records a result delivered by {@code task.result} (a worker's outbox), once, and counts how it
     * was acknowledged ({@code taskwire.results.delivered}, tag {@code ack}: accepted, duplicate, stale).
     *
     * @return the answer for the worker; a result for an unknown task is acknowledged as stale
     */
    public ResultAck deliver(TaskResult result) {
        ResultAck ack = attempts.delivered(result);
        String kind = ack.stale() ? "stale" : ack.duplicate() ? "duplicate" : "accepted";
        delivered.computeIfAbsent(kind, tag -> meters.counter("taskwire.results.delivered", "ack", tag)).increment();
        return ack;
    }

    /** Stops the running attempt of a task a client aborted. */
    public void cancelRunning(TaskView before) {
        if (before.status() == TaskStatus.DISPATCHED) {
            registry.find(before.workerId()).ifPresent(session -> WorkerCalls.cancel(session,
                    new TaskCancel(before.taskId(), before.attempt(), "aborted by a client")));
        }
    }

    @Override
    public void destroy() {
        queue.shutdown();
    }

    @EventListener
    void on(WorkerJoined joined) {
        queue.signal();
    }

    @EventListener
    void on(WorkerLeft left) {
        attempts.workerLeft(left.session());
    }

    @EventListener
    void on(WorkerDraining draining) {
        queue.signal();
    }

    @EventListener
    void on(WorkerResumed resumed) {
        queue.signal();
    }

    @EventListener
    void on(WorkerBreakers.BreakerTransitioned transitioned) {
        queue.signal();
    }
}
