package io.taskwire.worker.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.taskwire.messages.Json;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskResult;
import io.taskwire.transport.TransportProperties;
import io.taskwire.worker.connection.Connected;
import io.taskwire.worker.connection.ConnectionProperties;
import io.taskwire.worker.connection.SchedulerConnection;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
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
public class ResultSender {

    private static final Logger log = LoggerFactory.getLogger(ResultSender.class);
    private static final ObjectWriter RESULT = Json.mapper().writerFor(TaskResult.class);
    private static final byte[] OPEN = {'['};
    private static final byte[] COMMA = {','};
    private static final byte[] CLOSE = {']'};
    private static final ParameterizedTypeReference<List<ResultAck>> ACKS = new ParameterizedTypeReference<>() { };

    private final ConcurrentLinkedQueue<TaskResult> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final SchedulerConnection connection;
    private final ResultOutbox outbox;
    private final int batchSize;
    private final long maxBatchBytes;
    private final Duration answerWithin;
    /** A result written for the last delivery that did not fit it; only the holder of {@code sending} touches it. */
    private volatile Written carried;

    ResultSender(SchedulerConnection connection, ResultOutbox outbox, OutboxProperties settings,
                 ConnectionProperties properties, TransportProperties transport) {
        this.connection = connection;
        this.outbox = outbox;
        this.batchSize = settings.batchSize();
        this.maxBatchBytes = transport.maxPayloadBytes();
        // by then keepalive has declared the connection dead if the scheduler is gone
        this.answerWithin = properties.keepaliveMaxLifetime();
    }

    /** Sends a result now, or with the next delivery if one is on its way. Never blocks. */
    public void send(TaskResult result) {
        ready.add(result);
        flush();
    }

    /** @return whether no result waits here and none is on its way (a failed delivery leaves them in the outbox) */
    public boolean idle() {
        return !sending.get() && ready.isEmpty() && carried == null;
    }

    /** One delivery at a time: whoever wins {@code sending} takes what is ready and sends it. */
    private void flush() {
        while ((!ready.isEmpty() || carried != null) && sending.compareAndSet(false, true)) {
            List<Written> batch = take();
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

    /**
     * Up to the outbox's batch size of ready results whose JSON fits one request. Each result is
     * written to JSON once, here: that measures it and is what goes on the wire.
     */
    private List<Written> take() {
        List<Written> batch = new ArrayList<>();
        long bytes = 2;
        while (batch.size() < batchSize) {
            Written next = carried != null ? carried : write(ready.poll());
            carried = null;
            if (next == null) {
                break;
            }
            if (!batch.isEmpty() && bytes + next.json().length + 1 > maxBatchBytes) {
                carried = next;
                break;
            }
            batch.add(next);
            bytes += next.json().length + 1;
        }
        return batch;
    }

    private Mono<Void> deliver(List<Written> batch) {
        RSocketRequester requester = connection.current().map(Connected::requester).orElse(null);
        if (requester == null) {
            batch.forEach(written -> outbox.add(written.result()));
            return Mono.empty();
        }
        DataBufferFactory buffers = requester.strategies().dataBufferFactory();
        Mono<?> acknowledged = batch.size() == 1
                ? requester.route(Routes.TASK_RESULT).data(buffers.wrap(batch.get(0).json()))
                        .retrieveMono(ResultAck.class)
                : requester.route(Routes.TASK_RESULT_BATCH).data(array(buffers, batch)).retrieveMono(ACKS);
        return acknowledged
                .timeout(answerWithin)
                .onErrorResume(failure -> {
                    log.debug("Could not send {} results, handed to the outbox: {}", batch.size(), failure.toString());
                    batch.forEach(written -> outbox.add(written.result()));
                    return Mono.empty();
                })
                .then();
    }

    /** The JSON array of the written results, joined without copying them. */
    private static DataBuffer array(DataBufferFactory buffers, List<Written> batch) {
        List<DataBuffer> parts = new ArrayList<>(batch.size() * 2 + 1);
        for (Written written : batch) {
            parts.add(buffers.wrap(parts.isEmpty() ? OPEN : COMMA));
            parts.add(buffers.wrap(written.json()));
        }
        parts.add(buffers.wrap(CLOSE));
        return buffers.join(parts);
    }

    private static Written write(TaskResult result) {
        if (result == null) {
            return null;
        }
        try {
            return new Written(result, RESULT.writeValueAsBytes(result));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write a result as JSON", e);
        }
    }

    /** A result and its JSON. */
    private record Written(TaskResult result, byte[] json) {
    }
}
