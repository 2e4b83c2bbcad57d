package io.taskwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.it.Tokens;
import io.taskwire.it.faults.InProcessScheduler;
import io.taskwire.it.faults.WorkerProcess;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.transport.ProtocolErrors;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.rsocket.RSocketRequester;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A scheduler under hostile input while real work goes on: 10,000 malformed or oversized requests,
 * each answered with its error within 6 s, and 1,000 connections that send garbage bytes, each closed
 * within 6 s. Meanwhile 300 real tasks all succeed; afterwards the scheduler is healthy and its heap
 * is back near where it started.
 */
class HostileInputTest {

    static final Duration ANSWER_WITHIN = Duration.ofSeconds(6);
    static final int MALFORMED = 10_000;
    static final int GARBAGE_CONNECTIONS = 1_000;
    static final int REAL_TASKS = 300;

    static InProcessScheduler scheduler;
    static WorkerProcess worker;

    @BeforeAll
    static void start() throws IOException {
        scheduler = InProcessScheduler.startWith();
        worker = WorkerProcess.start("hostile-worker", 8, scheduler.rsocketPort());
        worker.awaitRegistered(scheduler.registry(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        worker.close();
        scheduler.close();
    }

    @Test
    void malformedAndOversizedRequestsAndGarbageConnectionsLeaveTheSchedulerHealthyAndRealTasksComplete()
            throws Exception {
        RSocketRequester client = scheduler.client("hostile-real-client");
        realTasks(client, 20).blockLast(Duration.ofSeconds(30)); // warm up before the baseline
        long baseline = heapAfterGc();

        Mono<List<TaskView>> real = realTasks(client, REAL_TASKS).collectList().subscribeOn(Schedulers.boundedElastic()).cache();
        real.subscribe();
        Map<ErrorCode, Long> answers = floodWithBadRequests();
        List<Long> closedAfterMillis = garbageConnections();
        List<TaskView> done = real.block(Duration.ofMinutes(2));

        assertThat(answers.values().stream().mapToLong(Long::longValue).sum())
                .as("bad requests answered with an error within %s", ANSWER_WITHIN).isEqualTo(MALFORMED);
        assertThat(answers).containsOnlyKeys(ErrorCode.INVALID_REQUEST, ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN,
                ErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(closedAfterMillis).hasSize(GARBAGE_CONNECTIONS)
                .allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(ANSWER_WITHIN.toMillis()));
        assertThat(done).hasSize(REAL_TASKS).allSatisfy(view -> assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED));
        assertThat(get("/actuator/health/readiness")).contains("\"status\":\"UP\"");
        assertThat(realTasks(client, 10).collectList().block(Duration.ofSeconds(30)))
                .allSatisfy(view -> assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED));
        AtomicLong after = new AtomicLong();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(after.updateAndGet(previous -> heapAfterGc()))
                        .as("heap used after GC, baseline %d", baseline)
                        .isLessThanOrEqualTo(baseline + 48L * 1024 * 1024));
        System.out.printf("hostile input: answers %s, garbage connections closed after median %d ms, max %d ms,"
                        + " heap after GC %d MB before, %d MB after%n", answers, median(closedAfterMillis),
                Collections.max(closedAfterMillis), baseline >> 20, after.get() >> 20);
    }

    private Flux<TaskView> realTasks(RSocketRequester client, int count) {
        return Flux.range(0, count).flatMap(i -> client.route(Routes.TASK_SUBMIT_AWAIT)
                .data(new TaskSpec("echo", Json.mapper().createObjectNode().put("i", i), null, null, null, null, 20_000L, null))
                .retrieveMono(TaskView.class), 32);
    }

    /** 10,000 bad requests over 8 connections, 64 in flight; counts the codes of the answers. */
    private Map<ErrorCode, Long> floodWithBadRequests() {
        List<RSocket> connections = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            connections.add(rawClient("hostile-" + i));
        }
        byte[] oversized = ("{\"type\":\"echo\",\"payload\":\"" + "x".repeat(Protocol.DEFAULT_MAX_PAYLOAD_BYTES + 100) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String deep = "{\"type\":\"echo\",\"payload\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        String longNumber = "{\"type\":\"echo\",\"payload\":" + "9".repeat(5000) + "}";
        Map<ErrorCode, AtomicLong> counts = new ConcurrentHashMap<>();
        Flux.range(0, MALFORMED)
                .flatMap(i -> {
                    RSocket connection = connections.get(i % connections.size());
                    Payload bad = switch (i % 10) {
                        case 0 -> payload(Routes.TASK_SUBMIT, "{\"type\":".getBytes(StandardCharsets.UTF_8));
                        case 1 -> payload("no.such.route", "{}".getBytes(StandardCharsets.UTF_8));
                        case 2 -> payload(Routes.TASK_SUBMIT, "{\"payload\":{}}".getBytes(StandardCharsets.UTF_8));
                        case 3 -> payload(Routes.TASK_SUBMIT, "{\"type\":7}".getBytes(StandardCharsets.UTF_8));
                        case 4 -> payload(Routes.TASK_SUBMIT, deep.getBytes(StandardCharsets.UTF_8));
                        case 5 -> payload(Routes.TASK_SUBMIT, longNumber.getBytes(StandardCharsets.UTF_8));
                        case 6 -> payload(Routes.TASK_RESULT, "{\"taskId\":\"x\",\"attempt\":1}".getBytes(StandardCharsets.UTF_8));
                        case 7 -> payload(Routes.TASK_GET, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
                        case 8 -> payload(Routes.TASK_SUBMIT, "[1,2,3]".getBytes(StandardCharsets.UTF_8));
                        default -> i % 50 == 9 ? payload(Routes.TASK_SUBMIT, oversized)
                                : payload(Routes.TASK_ABORT, "{}".getBytes(StandardCharsets.UTF_8));
                    };
                    return connection.requestResponse(bad)
                            .map(reply -> {
                                reply.release();
                                return ErrorCode.INTERNAL; // an answer that is not an error: counted, and fails the test
                            })
                            .onErrorResume(e -> Mono.just(ProtocolErrors.fromPeer(e).code()))
                            .timeout(ANSWER_WITHIN, Mono.just(ErrorCode.TIMEOUT));
                }, 64)
                .doOnNext(code -> counts.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet())
                .blockLast(Duration.ofMinutes(3));
        connections.forEach(RSocket::dispose);
        Map<ErrorCode, Long> result = new EnumMap<>(ErrorCode.class);
        counts.forEach((code, count) -> result.put(code, count.get()));
        return result;
    }

    /** Opens 1,000 TCP connections that send random bytes; returns how long each took to be closed. */
    private List<Long> garbageConnections() throws IOException {
        Random random = new Random(42);
        List<Socket> sockets = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        for (int i = 0; i < GARBAGE_CONNECTIONS; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", scheduler.rsocketPort()), 5000);
            byte[] garbage = new byte[16 + random.nextInt(200)];
            random.nextBytes(garbage);
            socket.getOutputStream().write(garbage);
            socket.getOutputStream().flush();
            sockets.add(socket);
            sentAt.add(System.nanoTime());
        }
        List<Long> closedAfter = new ArrayList<>();
        for (int i = 0; i < sockets.size(); i++) {
            try (Socket socket = sockets.get(i)) {
                long deadline = sentAt.get(i) + ANSWER_WITHIN.toNanos() + Duration.ofMillis(500).toNanos();
                closedAfter.add(untilClosed(socket, sentAt.get(i), deadline));
            }
        }
        return closedAfter;
    }

    /** @return milliseconds from sending until the scheduler closed the socket; Long.MAX_VALUE if it did not */
    private static long untilClosed(Socket socket, long sentAt, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        while (true) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                return Long.MAX_VALUE;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(buffer) < 0) {
                    return Duration.ofNanos(System.nanoTime() - sentAt).toMillis();
                }
            } catch (SocketTimeoutException stillOpen) {
                return Long.MAX_VALUE;
            } catch (IOException reset) {
                return Duration.ofNanos(System.nanoTime() - sentAt).toMillis();
            }
        }
    }

    private RSocket rawClient(String clientId) {
        return RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .setupPayload(ByteBufPayload.create(
                        Unpooled.wrappedBuffer(Json.write(new ClientHello(Protocol.VERSION, clientId)).getBytes(StandardCharsets.UTF_8)),
                        RouteMetadata.encodeSetup(Routes.CLIENT_CONNECT, Tokens.CLIENT)))
                .connect(TcpClientTransport.create("127.0.0.1", scheduler.rsocketPort()))
                .block(Duration.ofSeconds(10));
    }

    private static Payload payload(String route, byte[] data) {
        return ByteBufPayload.create(Unpooled.wrappedBuffer(data), RouteMetadata.encode(route));
    }

    private String get(String path) {
        return Tokens.http().getForObject("http://127.0.0.1:" + scheduler.managementPort() + path, String.class);
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
