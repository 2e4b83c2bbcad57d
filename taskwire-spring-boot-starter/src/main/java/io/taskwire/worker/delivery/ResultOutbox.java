package io.taskwire.worker.delivery;

import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.RunningAttempt;
import io.taskwire.worker.connection.AttemptsInHand;
import org.springframework.core.Ordered;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskResult;
import io.taskwire.transport.ProtocolErrors;
import io.taskwire.transport.TransportProperties;
import io.taskwire.worker.connection.Connected;
import io.taskwire.worker.connection.SchedulerConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.taskwire.transport.SubscriptionLifecycle;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Results whose {@code task.execute} reply could not be sent (the connection was lost mid-task),
 * kept in a bounded queue and delivered by {@code task.result.batch} once the worker is registered
 * again, retried with Resilience4j ({@code resilience4j.retry.configs.delivery}) until acknowledged.
 * Every acknowledgement clears its result: recorded, duplicate and stale alike.
 *
 * <p>A reply written just before the connection is found dead may never have arrived (a worker
 * resumed after a pause writes into a socket the scheduler already closed), so replies sent within
 * {@code resend-window} of a disconnection are delivered again: {@code task.result} is idempotent.
 */
@Component
public class ResultOutbox extends SubscriptionLifecycle implements AttemptsInHand, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);
    /** Room a result's fields take besides its output, a generous estimate. */
    private static final long ENVELOPE_BYTES = 1024;
    private static final ParameterizedTypeReference<List<ResultAck>> ACKS = new ParameterizedTypeReference<>() { };

    private final LinkedBlockingDeque<Waiting> results;
    // one short lock per reply: a concurrent deque spent more on removing the oldest (6% of the
    // worker's CPU samples at 64 tasks in flight)
    private final ArrayDeque<Replied> recentReplies = new ArrayDeque<>();
    private final SchedulerConnection connection;
    private final OutboxProperties settings;
    private final Retry retry;
    private final long maxBatchBytes;

    ResultOutbox(SchedulerConnection connection, OutboxProperties settings, TransportProperties transport,
                 RetryRegistry retries) {
        this.maxBatchBytes = transport.maxValueBytes();
        this.connection = connection;
        this.settings = settings;
        this.results = new LinkedBlockingDeque<>(settings.capacity());
        this.retry = retries.retry("delivery", "delivery");
    }

    /** Keeps a result for delivery; when full, the oldest result is dropped (its task runs again). */
    public void add(TaskResult result) {
        Waiting waiting = new Waiting(result);
        while (!results.offerLast(waiting)) {
            Waiting dropped = results.pollFirst();
            if (dropped != null) {
                log.warn("Outbox full ({} results): dropped the result of task {} attempt {}; the scheduler will "
                        + "run it again", settings.capacity(), dropped.result.taskId(), dropped.result.attempt());
            }
        }
    }

    /** Remembers a result just sent as a reply, for {@code resend-window}. */
    public void replied(TaskResult result) {
        long now = System.nanoTime();
        synchronized (recentReplies) {
            recentReplies.addLast(new Replied(result, now));
            forgetOldReplies(now);
        }
    }

    /** The connection is gone: replies sent within the window may be lost with it, so send them again. */
    private void resendRecentReplies() {
        List<Replied> lost;
        synchronized (recentReplies) {
            forgetOldReplies(System.nanoTime());
            lost = new ArrayList<>(recentReplies);
            recentReplies.clear();
        }
        lost.forEach(replied -> add(replied.result()));
    }

    /** Called holding the lock on {@code recentReplies}. */
    private void forgetOldReplies(long now) {
        long window = settings.resendWindow().toNanos();
        for (Replied oldest = recentReplies.peekFirst(); oldest != null; oldest = recentReplies.peekFirst()) {
            if (now - oldest.sentNanos() <= window && recentReplies.size() <= settings.capacity()) {
                return;
            }
            recentReplies.pollFirst();
        }
    }

    /** @return results waiting for delivery */
    public int size() {
        return results.size();
    }

    @Override
    protected Disposable subscribe() {
        Flux<Object> registered = connection.changes()
                .doOnNext(change -> {
                    if (change.isEmpty() && connection.isRunning()) {
                        // a worker that is stopping closed the connection itself: its replies went out
                        resendRecentReplies();
                    }
                })
                .filter(Optional::isPresent)
                .cast(Object.class);
        return Flux.merge(registered, Flux.interval(settings.flushInterval()))
                .onBackpressureDrop()
                .concatMap(trigger -> deliver())
                .subscribe();
    }

    @Override
    public void stop() {
        super.stop();
        if (!results.isEmpty()) {
            log.warn("Stopping with {} undelivered results; the scheduler will run those tasks again", results.size());
        }
    }


    /** Stops after {@code DrainOnShutdown}, which needs the connection to deliver the last results. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1000;
    }

    /** The attempts whose results wait here, oldest first, after the running ones. */
    @Override
    public List<RunningAttempt> attemptsInHand() {
        return results.stream().map(Waiting::result)
                .map(result -> new RunningAttempt(result.taskId(), result.attempt(), result.fence())).toList();
    }

    @Override
    public int getOrder() {
        return 1;
    }

    /** Delivers what is waiting, a batch at a time, while the worker is registered. */
    Mono<Void> deliver() {
        Optional<Connected> connected = connection.current();
        if (results.isEmpty() || connected.isEmpty()) {
            return Mono.empty();
        }
        List<Waiting> batch = nextBatch();
        return connected.get().requester().route(Routes.TASK_RESULT_BATCH)
                .data(batch.stream().map(Waiting::result).toList())
                .retrieveMono(ACKS)
                .transformDeferred(RetryOperator.of(retry))
                .doOnNext(acks -> acknowledged(batch, acks))
                // the next batch goes only after this one was acknowledged
                .flatMap(acks -> results.isEmpty() ? Mono.empty() : deliver())
                .onErrorResume(e -> {
                    refused(batch, e);
                    return Mono.empty();
                })
                .then();
    }

    /** Up to batch-size results whose data fits one request. */
    private List<Waiting> nextBatch() {
        List<Waiting> batch = new ArrayList<>(settings.batchSize());
        long bytes = 0;
        for (Waiting waiting : results) {
            long size = waiting.bytes();
            if (batch.size() == settings.batchSize() || (!batch.isEmpty() && bytes + size > maxBatchBytes)) {
                break;
            }
            batch.add(waiting);
            bytes += size;
        }
        return batch;
    }

    /** A result the scheduler can never take (its request is refused as invalid) would block the rest. */
    private void refused(List<Waiting> batch, Throwable failure) {
        ErrorCode code = ProtocolErrors.fromPeer(failure).code();
        if (batch.size() == 1 && (code == ErrorCode.PAYLOAD_TOO_LARGE || code == ErrorCode.INVALID_REQUEST)) {
            TaskResult result = batch.get(0).result();
            results.remove(batch.get(0));
            log.warn("The scheduler refuses the result of task {} attempt {} ({}); dropped, the task will run again",
                    result.taskId(), result.attempt(), code);
        } else {
            log.info("Could not deliver {} results yet: {}", batch.size(), failure.toString());
        }
    }

    private record Replied(TaskResult result, long sentNanos) {
    }

    /**
     * A result waiting for delivery, with the room it takes in a batch, measured once rather than
     * at every delivery attempt; removed by identity: a record's equals would compare whole results.
     */
    private static final class Waiting {

        private final TaskResult result;
        private final long bytes;

        Waiting(TaskResult result) {
            this.result = result;
            this.bytes = ENVELOPE_BYTES + (result.output() == null ? 0 : Json.size(result.output()));
        }

        TaskResult result() {
            return result;
        }

        long bytes() {
            return bytes;
        }
    }

    private void acknowledged(List<Waiting> batch, List<ResultAck> acks) {
        batch.forEach(results::remove);
        long stale = acks.stream().filter(ResultAck::stale).count();
        log.info("Delivered {} results from the outbox ({} stale, {} duplicate)", batch.size(), stale,
                acks.stream().filter(ResultAck::duplicate).count());
    }
}
