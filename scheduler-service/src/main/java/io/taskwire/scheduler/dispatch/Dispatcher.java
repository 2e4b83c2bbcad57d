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
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.transport.TransportProperties;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends pending tasks to workers and handles how each attempt ends. The decisions are made by the
 * {@link DispatchQueue} on one thread; each attempt is a {@code task.execute} call over the worker's
 * own connection that ends exactly once: with a result, with the scheduler's deadline, or with the
 * connection (then the task is offered again as a new attempt, as long as attempts remain).
 *
 * <p>Several tasks one pass gives the same worker go in one {@code task.execute.batch}
 * ({@link BatchDispatch}); their attempts end through the same methods as single calls, their
 * results arriving by {@code task.result} ({@link #deliver}). The {@link AttemptSender} sends,
 * the {@link AttemptEndings} end; this class is what the rest of the scheduler sees.
 */
@Component
public class Dispatcher implements DisposableBean {

    /** Name of the Resilience4j retry configuration whose backoff spaces retries of failed attempts. */
    static final String RETRY = "dispatch";

    private final TaskLedger ledger;
    private final WorkerRegistry registry;
    private final MeterRegistry meters;
    private final DispatchQueue queue;
    private final AttemptEndings endings;
    private final AttemptSender sender;
    /** {@code taskwire.results.delivered} by ack kind, found once rather than at every result. */
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();

    Dispatcher(TaskLedger ledger, WorkerRegistry registry, DispatchProperties properties, Clock clock,
               WorkerBreakers breakers, RetryRegistry retries, MeterRegistry meters, TransportProperties transport) {
        this.ledger = ledger;
        this.registry = registry;
        this.meters = meters;
        this.queue = new DispatchQueue(registry, this::permits, this::send, breakers::admits, properties.batch().size());
        this.endings = new AttemptEndings(ledger, registry, properties, clock, queue,
                retries.retry(RETRY, RETRY).getRetryConfig().getIntervalBiFunction(), meters);
        this.sender = new AttemptSender(ledger, breakers, properties, queue, endings, transport.maxPayloadBytes(), meters);
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
        // the attempt it ends, if that attempt still waits: in a batch, or on a task.execute reply
        Attempt awaited = sender.claim(result);
        ResultAck ack = awaited != null ? endings.ended(awaited, result) : ledger.find(result.taskId())
                .map(task -> endings.record(task, result))
                .orElseGet(() -> new ResultAck(result.taskId(), result.attempt(), false, false, true));
        String kind = ack.stale() ? "stale" : ack.duplicate() ? "duplicate" : "accepted";
        delivered.computeIfAbsent(kind, tag -> meters.counter("taskwire.results.delivered", "ack", tag)).increment();
        return ack;
    }

    /** Stops the running attempt of a task a client aborted. */
    public void cancelRunning(TaskView before) {
        if (before.status() == TaskStatus.DISPATCHED) {
            registry.find(before.workerId()).ifPresent(session -> AttemptEndings.cancel(session,
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
        // its single attempts end through their own calls, which fail as the connection closes
        ClosedChannelException closed = new ClosedChannelException();
        sender.claimBatched(left.session()).forEach(attempt -> endings.connectionLost(attempt, closed));
        queue.signal();
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

    private boolean permits(WorkerSession session) {
        return sender.permits(session);
    }

    private void send(WorkerSession session, List<Task> tasks) {
        sender.send(session, tasks);
    }
}
