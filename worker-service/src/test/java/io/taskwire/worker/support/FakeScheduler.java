package io.taskwire.worker.support;

import io.netty.buffer.ByteBufUtil;
import io.rsocket.ConnectionSetupPayload;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.DefaultPayload;
import io.taskwire.messages.BatchReceipt;
import io.taskwire.messages.DrainReply;
import io.taskwire.messages.DrainRequest;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ResultAck;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskCancel;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.http.codec.json.Jackson2JsonDecoder;
import org.springframework.http.codec.json.Jackson2JsonEncoder;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.messaging.rsocket.RSocketStrategies;
import org.springframework.util.MimeTypeUtils;
import reactor.core.publisher.Mono;

import static org.awaitility.Awaitility.await;

/**
 * A scheduler made of a bare rsocket-java server, scripted by the test: it records every SETUP,
 * rejects the first ones when told to, sends {@code worker.config} to the workers it accepts,
 * records their heartbeats and lets the test call the worker over the connection the worker opened.
 * It can be stopped (server and connections) and started again on the same port. Held in a static
 * field registered with {@code @RegisterExtension}, it stops after the test class.
 */
public final class FakeScheduler implements AutoCloseable, AfterAllCallback {

    /** A config with fast heartbeats, for tests that only need the worker registered. */
    public static WorkerConfig config(int slots) {
        return new WorkerConfig(200, slots);
    }

    /** JSON codecs with the protocol's settings, as a scheduler in any language would send. */
    static final RSocketStrategies STRATEGIES = RSocketStrategies.builder()
            .encoders(encoders -> encoders.add(new Jackson2JsonEncoder(Json.mapper())))
            .decoders(decoders -> decoders.add(new Jackson2JsonDecoder(Json.mapper())))
            .build();

    private final List<Setup> setups = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Beat> heartbeats = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> otherFireAndForget = new LinkedBlockingQueue<>();
    private final BlockingQueue<TaskResult> delivered = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> resultRoutes = new LinkedBlockingQueue<>();
    private volatile Duration resultAckDelay = Duration.ZERO;
    private final BlockingQueue<DrainRequest> drains = new LinkedBlockingQueue<>();
    private volatile boolean ackStale;
    private final Set<RSocket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger rejectionsLeft = new AtomicInteger();
    private volatile WorkerConfig configOnAccept;
    private volatile RSocketRequester worker;
    private volatile CloseableChannel server;
    private volatile int port;

    private FakeScheduler(WorkerConfig configOnAccept) {
        this.configOnAccept = configOnAccept;
    }

    /**
     * @param configOnAccept sent to each worker right after its SETUP is accepted; null to send
     *        nothing until the test calls {@link #configure}
     * @return a fake, not started yet
     */
    public static FakeScheduler sendingOnAccept(WorkerConfig configOnAccept) {
        return new FakeScheduler(configOnAccept);
    }

    /** Refuses the next {@code count} SETUPs with {@code REJECTED_SETUP} {@code DUPLICATE}. */
    public FakeScheduler rejectingFirst(int count) {
        rejectionsLeft.set(count);
        return this;
    }

    /** Listens on {@code port} (0: a random one); may be called again after {@link #stop()}. */
    public FakeScheduler start(int port) {
        CloseableChannel channel = RSocketServer.create(acceptor())
                .bind(TcpServerTransport.create("localhost", port))
                .block(Duration.ofSeconds(10));
        this.server = channel;
        this.port = channel.address().getPort();
        return this;
    }

    /** Stops listening and closes every connection, as a scheduler that goes away. */
    public void stop() {
        CloseableChannel channel = server;
        if (channel != null) {
            channel.dispose();
            channel.onClose().block(Duration.ofSeconds(10));
        }
        connections.forEach(RSocket::dispose);
        connections.clear();
        worker = null;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Closes the live connections but keeps listening, as a network cut the worker recovers from. */
    public void dropConnections() {
        connections.forEach(RSocket::dispose);
        connections.clear();
        worker = null;
    }

    /** Acknowledges delivered results as stale from now on (a scheduler that moved on). */
    public FakeScheduler acknowledgingStale() {
        ackStale = true;
        return this;
    }

    /** Results delivered by {@code task.result.batch} or {@code task.result}, in order. */
    public BlockingQueue<TaskResult> delivered() {
        return delivered;
    }

    /** The route of each delivery of results ({@code task.result} or {@code task.result.batch}), in order. */
    public BlockingQueue<String> resultRoutes() {
        return resultRoutes;
    }

    /** Holds each acknowledgement of {@code task.result} this long, as a slow scheduler would. */
    public FakeScheduler acknowledgingResultsAfter(Duration delay) {
        resultAckDelay = delay;
        return this;
    }

    /** {@code worker.drain} requests received. */
    public BlockingQueue<DrainRequest> drains() {
        return drains;
    }

    /** @return the port it listens on */
    public int port() {
        return port;
    }

    /** @return a TCP port that was free a moment ago, for a fake started after its worker */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every SETUP received so far, accepted or not, in order */
    public List<Setup> setups() {
        return List.copyOf(setups);
    }

    /** Waits (bounded) until {@code count} SETUPs have arrived and returns the last of them. */
    public Setup awaitSetups(int count, Duration atMost) {
        await().atMost(atMost).until(() -> setups.size() >= count);
        return setups.get(count - 1);
    }

    /** Heartbeats received, in order of arrival. */
    public BlockingQueue<Beat> heartbeats() {
        return heartbeats;
    }

    /** Routes of fire-and-forgets received other than heartbeats. */
    public BlockingQueue<String> otherFireAndForget() {
        return otherFireAndForget;
    }

    /** @return calls the worker over its connection; waits (bounded) for an accepted worker */
    public RSocketRequester worker() {
        await().atMost(Duration.ofSeconds(10)).until(() -> worker != null);
        return worker;
    }

    /** Sends {@code worker.config} to the connected worker. */
    public void configure(WorkerConfig config) {
        worker().route(Routes.WORKER_CONFIG).data(config).send().block(Duration.ofSeconds(5));
    }

    /** Calls {@code task.execute}; the result comes when the task ends. */
    public Mono<TaskResult> execute(TaskAssignment assignment) {
        return worker().route(Routes.TASK_EXECUTE).data(assignment).retrieveMono(TaskResult.class);
    }

    /** Calls {@code task.execute.batch}; the receipt comes once the worker started what it could. */
    public Mono<BatchReceipt> executeBatch(TaskBatch batch) {
        return worker().route(Routes.TASK_EXECUTE_BATCH).data(batch).retrieveMono(BatchReceipt.class);
    }

    /** Sends {@code task.cancel}. */
    public void cancel(TaskCancel cancel) {
        worker().route(Routes.TASK_CANCEL).data(cancel).send().block(Duration.ofSeconds(5));
    }

    /** Calls {@code worker.ping}. */
    public Mono<Pong> ping(Ping ping) {
        return worker().route(Routes.WORKER_PING).data(ping).retrieveMono(Pong.class);
    }

    private SocketAcceptor acceptor() {
        return this::accept;
    }

    private Mono<RSocket> accept(ConnectionSetupPayload setup, RSocket sending) {
        connections.add(sending);
        setups.add(Setup.of(setup));
        if (rejectionsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            return Mono.error(new RejectedSetupException(
                    new ProtocolException(ErrorCode.DUPLICATE, "a worker with this id holds a live session").getMessage()));
        }
        RSocketRequester requester = RSocketRequester.wrap(sending, MimeTypeUtils.APPLICATION_JSON,
                MimeTypeUtils.parseMimeType(Protocol.METADATA_MIME_TYPE), STRATEGIES);
        worker = requester;
        WorkerConfig config = configOnAccept;
        if (config != null) {
            // sent after the acceptor returns, as a real scheduler does: accepting never waits on the worker
            requester.route(Routes.WORKER_CONFIG).data(config).send().subscribe();
        }
        return Mono.just(new Responder());
    }

    /** What the worker calls on this fake. */
    private final class Responder implements RSocket {

        @Override
        public Mono<Payload> requestResponse(Payload payload) {
            try {
                String route = RouteMetadata.route(payload.metadata());
                byte[] data = ByteBufUtil.getBytes(payload.data());
                if (Routes.TASK_RESULT_BATCH.equals(route)) {
                    resultRoutes.add(route);
                    TaskResult[] results = Json.read(data, TaskResult[].class);
                    List<ResultAck> acks = new ArrayList<>();
                    for (TaskResult result : results) {
                        delivered.add(result);
                        acks.add(new ResultAck(result.taskId(), result.attempt(), !ackStale, false, ackStale));
                    }
                    return Mono.just(DefaultPayload.create(Json.write(acks)));
                }
                if (Routes.TASK_RESULT.equals(route)) {
                    resultRoutes.add(route);
                    TaskResult result = Json.read(data, TaskResult.class);
                    delivered.add(result);
                    ResultAck ack = new ResultAck(result.taskId(), result.attempt(), !ackStale, false, ackStale);
                    return Mono.just(DefaultPayload.create(Json.write(ack))).delayElement(resultAckDelay);
                }
                if (Routes.WORKER_DRAIN.equals(route)) {
                    DrainRequest drain = Json.read(data, DrainRequest.class);
                    drains.add(drain);
                    return Mono.just(DefaultPayload.create(Json.write(new DrainReply(drain.workerId(), 0))));
                }
                return Mono.error(new ApplicationErrorException(
                        new ProtocolException(ErrorCode.NOT_FOUND, "no route " + route + " here").getMessage()));
            } finally {
                payload.release();
            }
        }

        @Override
        public Mono<Void> fireAndForget(Payload payload) {
            try {
                String route = RouteMetadata.route(payload.metadata());
                if (Routes.WORKER_HEARTBEAT.equals(route)) {
                    WorkerHeartbeat beat = Json.read(ByteBufUtil.getBytes(payload.data()), WorkerHeartbeat.class);
                    heartbeats.add(new Beat(beat, System.nanoTime()));
                } else {
                    otherFireAndForget.add(String.valueOf(route));
                }
                return Mono.empty();
            } finally {
                payload.release();
            }
        }
    }

    /**
     * A SETUP as received.
     *
     * @param route the routing entry of its composite metadata
     * @param dataMimeType the data MIME type declared
     * @param metadataMimeType the metadata MIME type declared
     * @param keepAliveInterval the keepalive interval declared
     * @param keepAliveMaxLifetime the keepalive max lifetime declared
     * @param hello its data
     * @param bearerToken the token in its authentication metadata, or null
     * @param receivedNanos {@link System#nanoTime()} on arrival
     */
    public record Setup(String route, String dataMimeType, String metadataMimeType, Duration keepAliveInterval,
                        Duration keepAliveMaxLifetime, WorkerHello hello, String bearerToken, long receivedNanos) {

        static Setup of(ConnectionSetupPayload setup) {
            return new Setup(RouteMetadata.route(setup.metadata()), setup.dataMimeType(), setup.metadataMimeType(),
                    Duration.ofMillis(setup.keepAliveInterval()), Duration.ofMillis(setup.keepAliveMaxLifetime()),
                    Json.read(ByteBufUtil.getBytes(setup.data()), WorkerHello.class),
                    RouteMetadata.bearerToken(setup.metadata()), System.nanoTime());
        }
    }

    /**
     * A heartbeat as received.
     *
     * @param heartbeat what the worker sent
     * @param receivedNanos {@link System#nanoTime()} on arrival
     */
    public record Beat(WorkerHeartbeat heartbeat, long receivedNanos) {
    }
}
