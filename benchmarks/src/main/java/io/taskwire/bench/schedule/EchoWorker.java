package io.taskwire.bench.schedule;

import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.taskwire.bench.JsonPayloads;
import io.taskwire.bench.cluster.WorkerConnection;
import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskBatches;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.tcp.TcpClient;

/**
 * A simulated worker in the benchmark's JVM that runs every task it gets at once, answering with
 * its payload as the output (as the built-in {@code echo} handler does): a {@code worker.connect}
 * SETUP with the worker token ({@link WorkerConnection}), a {@code worker.heartbeat} every
 * {@link #HEARTBEAT}, answers to {@code worker.ping}, a lone {@code task.execute} answered with its
 * result, and a {@code task.execute.batch} answered with a receipt for all of it, its results then
 * sent back in one {@code task.result.batch}. It advertises zstd where the JVM can read it, so that
 * the scheduler dispatches as it does to real workers.
 */
final class EchoWorker implements AutoCloseable {

    private static final Duration HEARTBEAT = Duration.ofSeconds(2);

    private final String id;
    private final int slots;
    private final Sinks.One<RSocket> connection = Sinks.one();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;
    private RSocket rsocket;
    private Disposable heartbeats;

    private EchoWorker(String id, int slots) {
        this.id = id;
        this.slots = slots;
    }

    /** Dials the scheduler on a connection of its own; returns once the SETUP is sent. */
    static EchoWorker connect(String id, int port, String token, int slots, List<String> taskTypes) {
        EchoWorker worker = new EchoWorker(id, slots);
        List<String> encodings = TaskBatches.zstdAvailable() ? List.of("zstd") : List.of();
        WorkerHello hello = new WorkerHello(Protocol.VERSION, id, "bench-host", slots, taskTypes, Map.of(), "bench",
                encodings);
        worker.rsocket = WorkerConnection.connect(TcpClient.newConnection().host("localhost").port(port), token, hello,
                worker.responder()).block(Duration.ofSeconds(30));
        worker.connection.tryEmitValue(worker.rsocket);
        worker.heartbeats = Flux.interval(Duration.ZERO, HEARTBEAT)
                .concatMap(tick -> worker.rsocket.fireAndForget(worker.heartbeat()).onErrorResume(failure -> Mono.empty()))
                .subscribe();
        return worker;
    }

    private RSocket responder() {
        return new RSocket() {
            @Override
            public Mono<Void> fireAndForget(Payload payload) {
                // worker.config and task.cancel: nothing to do for tasks that end at once
                payload.release();
                return Mono.empty();
            }

            @Override
            public Mono<Payload> requestResponse(Payload request) {
                String route = RouteMetadata.route(request.metadata());
                if (Routes.TASK_EXECUTE.equals(route)) {
                    TaskAssignment assignment = JsonPayloads.read(request, TaskAssignment.class);
                    return Mono.just(JsonPayloads.of(Unpooled.EMPTY_BUFFER, echo(assignment)));
                }
                if (Routes.TASK_EXECUTE_BATCH.equals(route)) {
                    List<TaskAssignment> batch = TaskBatches.decode(JsonPayloads.read(request, TaskBatch.class),
                            Protocol.DEFAULT_MAX_PAYLOAD_BYTES);
                    BatchReceipt receipt = new BatchReceipt(batch.stream().map(TaskAssignment::taskId).toList(), List.of());
                    return Mono.just(JsonPayloads.of(Unpooled.EMPTY_BUFFER, receipt))
                            .doOnSuccess(sent -> sendResults(batch));
                }
                if (Routes.WORKER_PING.equals(route)) {
                    Ping ping = JsonPayloads.read(request, Ping.class);
                    return Mono.just(JsonPayloads.of(Unpooled.EMPTY_BUFFER, new Pong(ping.sentAt(), Instant.now())));
                }
                request.release();
                return Mono.error(new IllegalArgumentException("the benchmark's worker does not answer " + route));
            }
        };
    }

    /** The results of a batch, in one {@code task.result.batch}, once its receipt is on its way. */
    private void sendResults(List<TaskAssignment> batch) {
        List<TaskResult> results = batch.stream().map(this::echo).toList();
        connection.asMono()
                .flatMap(scheduler -> scheduler.requestResponse(
                        JsonPayloads.of(RouteMetadata.encode(Routes.TASK_RESULT_BATCH), results)))
                .subscribe(Payload::release, this::failed);
    }

    private void failed(Throwable failure) {
        failures.incrementAndGet();
        lastFailure = String.valueOf(failure);
    }

    private TaskResult echo(TaskAssignment assignment) {
        Instant now = Instant.now();
        return new TaskResult(assignment.taskId(), assignment.attempt(), id, assignment.fence(), Outcome.SUCCEEDED,
                assignment.payload(), null, now, now);
    }

    private Payload heartbeat() {
        Runtime runtime = Runtime.getRuntime();
        WorkerHeartbeat heartbeat = new WorkerHeartbeat(id, seq.incrementAndGet(), Instant.now(), 0, slots, 0.1,
                runtime.totalMemory() - runtime.freeMemory(), runtime.maxMemory());
        return JsonPayloads.of(RouteMetadata.encode(Routes.WORKER_HEARTBEAT), heartbeat);
    }

    /** @throws IllegalStateException if a result batch was refused or lost */
    void check() {
        if (failures.get() > 0) {
            throw new IllegalStateException(id + ": " + failures.get() + " result batches failed, the last: " + lastFailure);
        }
    }

    @Override
    public void close() {
        if (heartbeats != null) {
            heartbeats.dispose();
        }
        if (rsocket != null) {
            rsocket.dispose();
        }
    }
}
