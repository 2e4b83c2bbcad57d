package io.taskwire.scheduler.dispatch;

import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.heartbeat.HeartbeatProperties;
import io.taskwire.scheduler.leadership.Leadership;
import io.taskwire.scheduler.leadership.LeadershipAcquired;
import io.taskwire.scheduler.leadership.LeadershipLost;
import io.taskwire.scheduler.registry.WorkerDraining;
import io.taskwire.scheduler.registry.WorkerResumed;
import io.taskwire.scheduler.registry.WorkerJoined;
import io.taskwire.scheduler.registry.WorkerLeft;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.transport.TransportProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

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
    private final Duration grace;
    /** {@code taskwire.results.delivered} by ack kind, found once rather than at every result. */
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();

    Dispatcher(TaskLedger ledger, WorkerRegistry registry, DispatchProperties properties, Clock clock,
               WorkerBreakers breakers, RetryRegistry retries, MeterRegistry meters, TransportProperties transport,
               HeartbeatProperties heartbeat, Leadership leadership) {
        this.registry = registry;
        this.meters = meters;
        this.attempts = new Attempts(ledger, registry, breakers, properties,
                retries.retry(RETRY, RETRY).getRetryConfig().getIntervalBiFunction(), clock,
                transport.maxPayloadBytes(), meters, leadership);
        this.queue = attempts.queue();
        this.grace = heartbeat.timeout();
    }

    /**
     * This scheduler took the lead: the pending tasks loaded from the store are queued, and workers,
     * which can connect from now on, get a heartbeat timeout to come back and re-attach the attempts
     * they were running for the scheduler that led before (this one before its restart, or another).
     */
    @EventListener
    void on(LeadershipAcquired acquired) {
        attempts.resume(acquired.restored(), acquired.leaseExpired());
        attempts.startGrace(grace);
    }

    /**
     * This scheduler lost the lead: it starts no attempt from now on, and its workers are
     * disconnected, so that they go to the new leader, without ending the attempts they run (the
     * new leader takes them over when the workers re-attach them).
     */
    @EventListener
    void on(LeadershipLost lost) {
        attempts.stop();
        registry.removeAll("this scheduler lost the lead: " + lost.why());
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
     * @return the answer for the worker, once what it acknowledges is stored ({@code UNAVAILABLE}
     *         when that failed: the worker keeps the result and delivers it again); a result for an
     *         unknown task is acknowledged as stale
     */
    public Mono<ResultAck> deliver(TaskResult result) {
        return attempts.delivered(result).doOnNext(this::count);
    }

    /**
     * Records results delivered together by {@code task.result.batch}, as {@link #deliver} records
     * each; the slots they free are offered to the queue together.
     *
     * @return the answers, in the order of the results
     */
    public List<Mono<ResultAck>> deliverAll(List<TaskResult> results) {
        return attempts.deliveredAll(results).stream().map(ack -> ack.doOnNext(this::count)).toList();
    }

    private void count(ResultAck ack) {
        String kind = ack.stale() ? "stale" : ack.duplicate() ? "duplicate" : "accepted";
        delivered.computeIfAbsent(kind, tag -> meters.counter("taskwire.results.delivered", "ack", tag)).increment();
    }

    /** Stops the running attempt of a task a client aborted. */
    public void cancelRunning(TaskView before) {
        if (before.status() == TaskStatus.DISPATCHED) {
            registry.find(before.workerId()).ifPresent(session -> WorkerCalls.cancel(session,
                    new TaskCancel(before.taskId(), before.attempt(), "aborted by a client")));
        }
    }

    /**
     * The context closes: attempts stop before the servers do, so that closing the workers'
     * connections does not end them (their workers re-attach them to the next start).
     */
    @EventListener
    void on(ContextClosedEvent closed) {
        attempts.stop();
    }

    @Override
    public void destroy() {
        queue.shutdown();
    }

    /**
     * A worker joined: the attempts it lists as in hand are re-attached before it is offered
     * anything. It is live in the registry already, so the queue skips it until then: a dispatch
     * pass in between would fill the slots its running attempts need, and they would run again.
     */
    @EventListener
    void on(WorkerJoined joined) {
        try {
            attempts.reattach(joined.session());
        } finally {
            joined.session().attached();
        }
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
