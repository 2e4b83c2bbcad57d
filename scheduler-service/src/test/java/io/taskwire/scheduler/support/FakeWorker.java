package io.taskwire.scheduler.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.rsocket.RSocket;
import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskBatches;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.security.rsocket.metadata.BearerTokenMetadata;
import org.springframework.messaging.rsocket.annotation.support.RSocketMessageHandler;
import org.springframework.util.MimeTypeUtils;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A worker made of a bare RSocket connection, whose answers a test scripts: it records what the
 * scheduler sends it and heartbeats only when told to.
 */
public final class FakeWorker implements AutoCloseable {

    /** Assignments received, in order. */
    public final BlockingQueue<TaskAssignment> assignments = new LinkedBlockingQueue<>();
    /** Batches received by {@code task.execute.batch}, as sent; their assignments go to {@link #assignments} too. */
    public final BlockingQueue<TaskBatch> batches = new LinkedBlockingQueue<>();
    /** Acknowledgements of the results it sent by {@code task.result} (for tasks that came in batches). */
    public final BlockingQueue<ResultAck> acks = new LinkedBlockingQueue<>();
    /** Configs received. */
    public final BlockingQueue<WorkerConfig> configs = new LinkedBlockingQueue<>();
    /** Cancels received. */
    public final BlockingQueue<TaskCancel> cancels = new LinkedBlockingQueue<>();

    private final WorkerHello hello;
    private final RSocketRequester requester;
    private volatile RSocket connection;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Function<TaskAssignment, Mono<TaskResult>> behaviour;
    private volatile Function<TaskAssignment, Mono<String>> rawBehaviour;
    private volatile Function<TaskAssignment, ErrorCode> batchRefusal = assignment -> null;
    private volatile ProtocolException batchFailure;
    private volatile Disposable heartbeats;

    private FakeWorker(WorkerHello hello, int port, Function<TaskAssignment, Mono<TaskResult>> behaviour) {
        this.hello = hello;
        this.behaviour = behaviour;
        this.requester = RSocketRequester.builder()
                .rsocketStrategies(Peers.STRATEGIES)
                .dataMimeType(MimeTypeUtils.APPLICATION_JSON)
                .setupRoute(Routes.WORKER_CONNECT)
                .setupData(hello)
                .setupMetadata(new BearerTokenMetadata(TestTokens.WORKER), TestTokens.AUTHENTICATION)
                .rsocketConnector(connector -> connector.fragment(Protocol.FRAGMENT_SIZE_BYTES).acceptor(
                        RSocketMessageHandler.responder(Peers.STRATEGIES, new Responder())))
                .tcp("localhost", port);
    }

    /**
     * Connects a fake worker (sends its SETUP) that answers every task as {@code behaviour} says.
     *
     * @param port the scheduler's RSocket port
     * @param hello its hello
     * @param behaviour how it answers {@code task.execute}
     * @return the worker, connected (not necessarily accepted: wait for {@link #configs})
     */
    public static FakeWorker connect(int port, WorkerHello hello, Function<TaskAssignment, Mono<TaskResult>> behaviour) {
        FakeWorker worker = new FakeWorker(hello, port, behaviour);
        worker.connection = worker.requester.rsocketClient().source().block(Duration.ofSeconds(10));
        return worker;
    }

    /**
     * Connects a worker with one slot for {@code echo} that answers every task at once with its payload,
     * and returns it once the scheduler accepted it. Fails, closing it again, unless its
     * {@code worker.config} arrives within 5 s.
     */
    public static FakeWorker accepted(int port, String workerId) throws InterruptedException {
        FakeWorker worker = connect(port, hello(workerId, 1, "echo"), assignment -> echo(assignment, workerId));
        try {
            assertThat(worker.configs.poll(5, TimeUnit.SECONDS)).as("worker.config for " + workerId).isNotNull();
            return worker;
        } catch (AssertionError | InterruptedException notAccepted) {
            worker.close();
            throw notAccepted;
        }
    }

    /** The hello with the given batch encodings advertised (beyond identity and gzip). */
    public static WorkerHello advertising(WorkerHello hello, String... encodings) {
        return new WorkerHello(hello.protocolVersion(), hello.workerId(), hello.host(), hello.slots(), hello.taskTypes(),
                hello.labels(), hello.version(), List.of(encodings));
    }

    /** A hello for protocol version 1 with the given id, slots and types, no labels. */
    public static WorkerHello hello(String id, int slots, String... types) {
        return hello(id, slots, Map.of(), types);
    }

    /** A hello for protocol version 1 with the given id, slots, labels and types. */
    public static WorkerHello hello(String id, int slots, Map<String, String> labels, String... types) {
        return new WorkerHello(Protocol.VERSION, id, "localhost", slots, List.of(types), labels, "test", null);
    }

    /** Answers every assignment at once with SUCCEEDED and the payload as output. */
    public static Mono<TaskResult> echo(TaskAssignment assignment, String workerId) {
        return Mono.just(result(assignment, workerId, Outcome.SUCCEEDED));
    }

    /** A result for an assignment with the given outcome (output = payload when SUCCEEDED). */
    public static TaskResult result(TaskAssignment assignment, String workerId, Outcome outcome) {
        Instant now = Instant.now();
        return new TaskResult(assignment.taskId(), assignment.attempt(), workerId, assignment.fence(), outcome,
                outcome == Outcome.SUCCEEDED ? assignment.payload() : null,
                outcome == Outcome.SUCCEEDED ? null
                        : io.taskwire.messages.TaskError.of(ErrorCode.INTERNAL, "scripted " + outcome,
                                outcome == Outcome.FAILED),
                now, now);
    }

    public String id() {
        return hello.workerId();
    }

    public RSocketRequester requester() {
        return requester;
    }

    /**
     * @return the connection its SETUP opened. Watch this one for a refusal or a close: asking the
     * requester's client for its source again after a close would dial a new connection.
     */
    public RSocket connection() {
        return connection;
    }

    /**
     * Refuses tasks that come in batches from now on, in the receipt: {@code refusal} gives the code
     * for a task, or null to accept it (then {@code behaviour} gives its result, sent by {@code task.result}).
     */
    public void refuseInBatches(Function<TaskAssignment, ErrorCode> refusal) {
        batchRefusal = refusal;
    }

    /** Answers every {@code task.execute.batch} from now on with this error, starting none of its tasks. */
    public void failBatches(ProtocolException failure) {
        batchFailure = failure;
    }

    /** Changes how the worker answers from now on. */
    public void answer(Function<TaskAssignment, Mono<TaskResult>> newBehaviour) {
        behaviour = newBehaviour;
        rawBehaviour = null;
    }

    /** Answers {@code task.execute} from now on with these bytes as its JSON, whatever they are. */
    public void answerRaw(Function<TaskAssignment, Mono<String>> json) {
        rawBehaviour = json;
    }

    /** Sends one heartbeat reporting the given load. */
    public void heartbeat(int running) {
        sendHeartbeat(running).block(Duration.ofSeconds(5));
    }

    /** Heartbeats at the interval until {@link #stopHeartbeats()} or {@link #close()}. */
    public void startHeartbeats(Duration interval) {
        heartbeats = Flux.interval(Duration.ZERO, interval).onBackpressureDrop()
                .concatMap(tick -> sendHeartbeat(0).onErrorComplete())
                .subscribe();
    }

    private Mono<Void> sendHeartbeat(int running) {
        return requester.route(Routes.WORKER_HEARTBEAT)
                .data(new WorkerHeartbeat(hello.workerId(), sequence.incrementAndGet(), Instant.now(), running,
                        Math.max(0, hello.slots() - running), 0.1, 1L << 20, 1L << 28))
                .send();
    }

    public void stopHeartbeats() {
        if (heartbeats != null) {
            heartbeats.dispose();
        }
    }

    @Override
    public void close() {
        stopHeartbeats();
        // a second dispose of the same RSocketClient reports its CancellationException to onErrorDropped
        if (!requester.isDisposed()) {
            requester.dispose();
        }
    }

    /** What the scheduler calls on this fake worker. */
    private final class Responder {

        @MessageMapping(Routes.WORKER_CONFIG)
        void config(WorkerConfig config) {
            configs.add(config);
        }

        @MessageMapping(Routes.WORKER_PING)
        Pong ping(Ping ping) {
            return new Pong(ping.sentAt(), Instant.now());
        }

        @MessageMapping(Routes.TASK_EXECUTE)
        Mono<byte[]> execute(TaskAssignment assignment) {
            assignments.add(assignment);
            Function<TaskAssignment, Mono<String>> raw = rawBehaviour;
            Mono<String> json = raw != null ? raw.apply(assignment) : behaviour.apply(assignment).map(Json::write);
            return json.map(text -> text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** Accepts what the script does not refuse; each result goes by {@code task.result} when it comes. */
        @MessageMapping(Routes.TASK_EXECUTE_BATCH)
        BatchReceipt executeBatch(TaskBatch batch) {
            batches.add(batch);
            if (batchFailure != null) {
                throw batchFailure;
            }
            List<String> accepted = new ArrayList<>();
            List<BatchReceipt.Rejection> rejected = new ArrayList<>();
            for (TaskAssignment assignment : TaskBatches.decode(batch, Protocol.DEFAULT_MAX_PAYLOAD_BYTES)) {
                assignments.add(assignment);
                ErrorCode refusal = batchRefusal.apply(assignment);
                if (refusal != null) {
                    rejected.add(new BatchReceipt.Rejection(assignment.taskId(), refusal.name()));
                    continue;
                }
                accepted.add(assignment.taskId());
                behaviour.apply(assignment).subscribe(this::deliver, failure -> { });
            }
            return new BatchReceipt(accepted, rejected);
        }

        private void deliver(TaskResult result) {
            requester.route(Routes.TASK_RESULT).data(result).retrieveMono(ResultAck.class)
                    .subscribe(acks::add, failure -> { });
        }

        @MessageMapping(Routes.TASK_CANCEL)
        void cancel(TaskCancel cancel) {
            cancels.add(cancel);
        }
    }
}
