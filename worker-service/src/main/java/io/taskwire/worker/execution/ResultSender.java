package io.taskwire.worker.execution;

import io.taskwire.messages.Json;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskResult;
import io.taskwire.transport.TransportProperties;
import io.taskwire.worker.connection.Connected;
import io.taskwire.worker.connection.SchedulerConnection;
import io.taskwire.worker.connection.WorkerProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Sends the results of tasks that came in a {@code task.execute.batch}, which have no reply to
 * travel in. A result that ends while nothing is on its way goes at once by {@code task.result};
 * results that end while a delivery is on its way wait for it and then go together by
 * {@code task.result.batch}. So an idle worker adds no delay and a busy one sends few messages,
 * without a timer. A delivery that fails hands its results to the {@link ResultOutbox}, which
 * retries; every acknowledgement (recorded, duplicate or stale) is final.
 */
@Component
class ResultSender {

    private static final Logger log = LoggerFactory.getLogger(ResultSender.class);
    /** Room a result's fields take besides its output, a generous estimate. */
    private static final long ENVELOPE_BYTES = 1024;
    private static final ParameterizedTypeReference<List<ResultAck>> ACKS = new ParameterizedTypeReference<>() { };

    private final ConcurrentLinkedQueue<TaskResult> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final SchedulerConnection connection;
    private final ResultOutbox outbox;
    private final int batchSize;
    private final long maxBatchBytes;
    private final Duration answerWithin;

    ResultSender(SchedulerConnection connection, ResultOutbox outbox, WorkerProperties properties,
                 TransportProperties transport) {
        this.connection = connection;
        this.outbox = outbox;
        this.batchSize = properties.outbox().batchSize();
        this.maxBatchBytes = transport.maxValueBytes();
        // by then keepalive has declared the connection dead if the scheduler is gone
        this.answerWithin = properties.keepaliveMaxLifetime();
    }

    /** Sends a result now, or with the next delivery if one is on its way. Never blocks. */
    void send(TaskResult result) {
        ready.add(result);
        flush();
    }

    /** @return whether no result waits here and none is on its way (a failed delivery leaves them in the outbox) */
    boolean idle() {
        return ready.isEmpty() && !sending.get();
    }

    /** One delivery at a time: whoever wins {@code sending} takes what is ready and sends it. */
    private void flush() {
        while (!ready.isEmpty() && sending.compareAndSet(false, true)) {
            List<TaskResult> batch = take();
            if (batch.isEmpty()) {
                sending.set(false);
                continue;
            }
            deliver(batch)
                    .doFinally(signal -> {
                        sending.set(false);
                        flush();
                    })
                    .subscribe();
            return;
        }
    }

    /** Up to the outbox's batch size of ready results whose data fits one request. */
    private List<TaskResult> take() {
        List<TaskResult> batch = new ArrayList<>();
        long bytes = 0;
        for (TaskResult next = ready.peek(); next != null && batch.size() < batchSize; next = ready.peek()) {
            long size = ENVELOPE_BYTES + (next.output() == null ? 0 : Json.size(next.output()));
            if (!batch.isEmpty() && bytes + size > maxBatchBytes) {
                break;
            }
            batch.add(ready.poll());
            bytes += size;
        }
        return batch;
    }

    private Mono<Void> deliver(List<TaskResult> batch) {
        RSocketRequester requester = connection.current().map(Connected::requester).orElse(null);
        if (requester == null) {
            batch.forEach(outbox::add);
            return Mono.empty();
        }
        Mono<?> acknowledged = batch.size() == 1
                ? requester.route(Routes.TASK_RESULT).data(batch.get(0)).retrieveMono(ResultAck.class)
                : requester.route(Routes.TASK_RESULT_BATCH).data(batch).retrieveMono(ACKS);
        return acknowledged
                .timeout(answerWithin)
                .onErrorResume(failure -> {
                    log.debug("Could not send {} results, handed to the outbox: {}", batch.size(), failure.toString());
                    batch.forEach(outbox::add);
                    return Mono.empty();
                })
                .then();
    }
}
