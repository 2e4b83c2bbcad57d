package io.taskwire.scheduler.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.dispatch.Specs;
import io.taskwire.scheduler.dispatch.TaskClient;
import io.taskwire.scheduler.support.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * What an unauthenticated or misbehaving peer can make the scheduler hold on its RSocket port, tried
 * as the hostile-peer findings describe it, with real tasks running alongside: a frame header
 * declaring 16 MiB before SETUP, more connections waiting for SETUP than allowed, fragmented
 * requests that pass the payload limit, that never end, and that are too many, and peers that ask
 * and read late or never. Each time the peer gets the protocol's error (or, for the one that never
 * reads, its connection closed), direct memory stays within the budget, and every real task succeeds.
 */
@Import(TestTokens.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=scheduler,application",
        TestTokens.WORKER_PROPERTY,
        TestTokens.CLIENT_PROPERTY,
        "spring.rsocket.server.port=0",
        "taskwire.scheduler.heartbeat.interval=20s",
        "taskwire.scheduler.heartbeat.timeout=60s",
        "taskwire.scheduler.inbound.pending-setups=64",
        "taskwire.scheduler.inbound.read-pause-size=256KB",
        "taskwire.scheduler.inbound.unread-size=2MB",
        "taskwire.scheduler.inbound.unread-timeout=3s"})
class InboundBudgetTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final int MIB = 1024 * 1024;
    /** How much direct memory an attack may add, whatever its size. */
    private static final long DIRECT_BUDGET = 48L * MIB;
    private static final int REAL_TASKS = 40;

    @LocalRSocketServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private FakeWorkers workers;
    private TaskClient client;

    @BeforeEach
    void realTraffic() {
        workers = new FakeWorkers(port);
        workers.echo("budget-worker", "budget-echo");
        client = TaskClient.connect(port);
    }

    @AfterEach
    void close() {
        client.close();
        workers.close();
    }

    @Test
    void aFrameDeclaringSixteenMibBeforeSetupIsRefusedAtItsHeader() throws Exception {
        long before = direct();
        var real = realTasks();
        byte[] junk = new byte[MIB];
        ThreadLocalRandom.current().nextBytes(junk);
        List<String> answers = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<RawConnection> connections = new ArrayList<>();
            for (int n = 0; n < 50; n++) {
                RawConnection connection = new RawConnection(port);
                connections.add(connection);
                writeQuietly(connection, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFC, 0, 0, 0, 0, 0x04, 0x00, 0, 1, 0, 0});
                writeQuietly(connection, junk);
            }
            for (RawConnection connection : connections) {
                byte[] error = connection.awaitFrame(0, RawConnection.ERROR, WITHIN);
                answers.add(error == null ? "no error frame" : RawConnection.errorOf(error));
                assertThat(connection.closedWithin(WITHIN)).as("closed after the refusal").isTrue();
                connection.close();
            }
        }

        assertThat(answers).hasSize(200).allSatisfy(answer -> assertThat(answer)
                .startsWith("0x003 ").contains("PAYLOAD_TOO_LARGE").contains("16777212").contains("before SETUP"));
        assertThat(direct() - before).as("direct memory added by 200 MiB of attack").isLessThan(DIRECT_BUDGET);
        assertAllSucceeded(real.block(WITHIN.multipliedBy(3)));
    }

    @Test
    void connectionsPastThePendingSetupCapAreRefusedAtOnceAndTheSlotsComeBack() throws Exception {
        List<RawConnection> idle = new ArrayList<>();
        try {
            for (int n = 0; n < 64; n++) {
                idle.add(new RawConnection(port));
            }
            org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> pendingSetups() == 64);
            try (RawConnection oneTooMany = new RawConnection(port)) {
                byte[] error = oneTooMany.awaitFrame(0, RawConnection.ERROR, WITHIN);
                assertThat(error).as("refused at once").isNotNull();
                assertThat(RawConnection.errorOf(error)).startsWith("0x003 ").contains("AT_CAPACITY")
                        .contains("waiting for their SETUP");
                assertThat(oneTooMany.closedWithin(WITHIN)).isTrue();
            }
        } finally {
            for (RawConnection connection : idle) {
                connection.close();
            }
        }
        // the closed connections give their places back: a client connects and is served
        try (TaskClient another = TaskClient.connect(port)) {
            org.awaitility.Awaitility.await().atMost(WITHIN).ignoreExceptions()
                    .until(() -> another.submit(Specs.spec("budget-echo", 1)).taskId() != null);
        }
    }

    @Test
    void aFragmentedRequestPastTheLimitGetsPayloadTooLargeAtOnceAndTheConnectionStaysUsable() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            connection.clientSetup();
            byte[] fragment = new byte[60 * 1024];
            java.util.Arrays.fill(fragment, (byte) 'x');
            connection.firstFragment(1, Routes.TASK_SUBMIT, fragment);
            int sent = fragment.length;
            byte[] error = null;
            // 15 MiB in fragments, never the last one, as the finding sent it; the refusal comes as
            // soon as the request passes the limit, long before the 16 MiB rsocket-java would allow
            while (sent < 15 * MIB && error == null) {
                connection.nextFragment(1, fragment, true);
                sent += fragment.length;
                if (sent > MIB + 64 * 1024) {
                    error = connection.awaitFrame(1, RawConnection.ERROR, Duration.ofMillis(200));
                }
            }
            assertThat(error).as("refused within the fragments after the limit").isNotNull();
            assertThat(sent).isLessThan(2 * MIB);
            assertThat(RawConnection.errorOf(error)).startsWith("0x201 ").contains("PAYLOAD_TOO_LARGE");

            // its further fragments are dropped, and the connection serves the next request
            connection.nextFragment(1, fragment, false);
            connection.request(3, Routes.TASK_GET, "{\"taskId\":\"no-such-task\"}".getBytes(StandardCharsets.UTF_8),
                    false);
            byte[] answer = connection.awaitFrame(3, RawConnection.ERROR, WITHIN);
            assertThat(answer).isNotNull();
            assertThat(RawConnection.errorOf(answer)).startsWith("0x201 ").contains("NOT_FOUND");
        }
    }

    @Test
    void anUnfragmentedFrameOverTheLimitAfterSetupIsAConnectionErrorAtItsHeader() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            connection.clientSetup();
            try {
                connection.request(1, Routes.TASK_SUBMIT, new byte[2 * MIB], false);
            } catch (IOException closedByTheScheduler) {
                // refused at the header: the rest of the frame finds the connection closed
            }

            byte[] error = connection.awaitFrame(0, RawConnection.ERROR, WITHIN);
            assertThat(error).isNotNull();
            assertThat(RawConnection.errorOf(error)).startsWith("0x101 ").contains("PAYLOAD_TOO_LARGE")
                    .contains("fragment");
            assertThat(connection.closedWithin(WITHIN)).isTrue();
        }
    }

    @Test
    void unfinishedFragmentedRequestsPastTheCountAreAtCapacity() throws Exception {
        try (RawConnection connection = new RawConnection(port)) {
            connection.clientSetup();
            byte[] fragment = new byte[1024];
            for (int stream = 1; stream <= 2 * 17; stream += 2) {
                connection.firstFragment(stream, Routes.TASK_SUBMIT, fragment);
            }
            Map<Integer, String> errors = connection.errors(1, WITHIN);

            assertThat(errors).containsOnlyKeys(33);
            assertThat(errors.get(33)).startsWith("0x201 ").contains("AT_CAPACITY").contains("16 unfinished");
        }
    }

    @Test
    void fourHundredFortyUnfinishedFragmentedRequestsHoldNoMoreThanTheConnectionsBudget() throws Exception {
        long before = direct();
        var real = realTasks();
        try (RawConnection connection = new RawConnection(port)) {
            connection.clientSetup();
            byte[] fragment = new byte[64 * 1024 - 64];
            java.util.Arrays.fill(fragment, (byte) 'x');
            int streams = 440;
            // each stream: a first fragment and 15 more, never the last (1 MiB each, 440 MiB in all)
            for (int stream = 1; stream < 2 * streams; stream += 2) {
                connection.firstFragment(stream, Routes.TASK_SUBMIT, fragment);
                for (int n = 0; n < 15; n++) {
                    connection.nextFragment(stream, fragment, true);
                }
            }
            // the first four fit the 4 MB a connection's unfinished requests may hold; every later one is refused
            Map<Integer, String> errors = connection.errors(streams - 4, WITHIN);

            assertThat(errors.size()).isEqualTo(streams - 4);
            assertThat(errors.keySet()).doesNotContain(1, 3, 5, 7);
            assertThat(errors.values()).allSatisfy(error -> assertThat(error).startsWith("0x201 ")
                    .contains("PAYLOAD_TOO_LARGE").contains("together"));
            assertThat(direct() - before).as("direct memory added by 440 MiB of fragments").isLessThan(DIRECT_BUDGET);
        }
        assertAllSucceeded(real.block(WITHIN.multipliedBy(3)));
    }

    @Test
    void aPeerThatAsksAndNeverReadsIsClosedOnceItsRepliesPassTheUnreadBudget() throws Exception {
        // a finished task whose view carries 512 KiB of output: each task.get of it is a 512 KiB reply
        var payload = io.taskwire.messages.Json.mapper().createObjectNode().put("text", "x".repeat(512 * 1024));
        String bigTask = finished(io.taskwire.messages.TaskSpec.of("budget-echo", payload));
        long before = direct();
        double droppedBefore = unreadDrops();
        var real = realTasks();
        DirectPeak peak = new DirectPeak();
        try (peak; RawConnection reader = new RawConnection(port, 8 * 1024)) {
            reader.clientSetup();
            byte[] get = ("{\"taskId\":\"" + bigTask + "\"}").getBytes(StandardCharsets.UTF_8);
            // 400 requests at once: 200 MiB of replies, were they all kept for it. Those read before the
            // scheduler stops reading pass the 2 MB; if they do not, the pause outlasts the 3 s allowed
            reader.requests(400, Routes.TASK_GET, get);
            org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> unreadDrops() == droppedBefore + 1);
            assertThat(reader.closedWithin(WITHIN)).as("closed by the scheduler").isTrue();
        }

        assertThat(peak.highest() - before).as("direct memory held for a peer that does not read, at its peak")
                .isLessThan(DIRECT_BUDGET);
        assertThat(direct() - before).as("direct memory after its connection closed").isLessThan(8L * MIB);
        assertAllSucceeded(real.block(WITHIN.multipliedBy(3)));
        // a client that reads is served as before
        assertThat(client.get(bigTask).output().get("text").asText()).hasSize(512 * 1024);
    }

    @Test
    void aPeerThatPipelinesFiftyThousandRequestsAndReadsLateIsPausedNotClosedAndGetsEveryReply() throws Exception {
        String task = finished(Specs.spec("budget-echo", 7));
        long before = direct();
        double droppedBefore = unreadDrops();
        int requests = 50_000;
        DirectPeak peak = new DirectPeak();
        try (peak; RawConnection reader = new RawConnection(port, 8 * 1024)) {
            reader.clientSetup();
            byte[] get = ("{\"taskId\":\"" + task + "\"}").getBytes(StandardCharsets.UTF_8);
            // written on a thread of its own: once the scheduler stops reading, the writes block
            var writing = reactor.core.publisher.Mono.fromCallable(() -> {
                for (int n = 0; n < requests; n++) {
                    reader.request(2 * n + 1, Routes.TASK_GET, get, false);
                }
                return requests;
            }).subscribeOn(Schedulers.boundedElastic()).toFuture();

            // its replies, some 20 MB, are more than the 2 MB it may leave unread: its requests wait instead
            org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> pausedConnections() == 1);
            int replies = reader.countFrames(RawConnection.PAYLOAD, requests, WITHIN.multipliedBy(6));

            assertThat(replies).as("replies read, late").isEqualTo(requests);
            assertThat(writing.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(requests);
        }
        assertThat(unreadDrops()).as("connections closed for what they left unread").isEqualTo(droppedBefore);
        org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> pausedConnections() == 0);
        assertThat(peak.highest() - before).as("direct memory at the peak").isLessThan(DIRECT_BUDGET);
    }

    @Test
    void aPausedPeerThatStillDoesNotReadIsClosedOnceThePauseOutlastsTheTimeout() throws Exception {
        String task = finished(Specs.spec("budget-echo", 8));
        double droppedBefore = unreadDrops();
        try (RawConnection reader = new RawConnection(port, 8 * 1024)) {
            reader.clientSetup();
            byte[] get = ("{\"taskId\":\"" + task + "\"}").getBytes(StandardCharsets.UTF_8);
            reactor.core.publisher.Mono.fromCallable(() -> {
                for (int n = 0; n < 50_000; n++) {
                    reader.request(2 * n + 1, Routes.TASK_GET, get, false);
                }
                return 50_000;
            }).subscribeOn(Schedulers.boundedElastic()).onErrorResume(IOException.class, closed -> reactor.core.publisher.Mono.empty()).subscribe();

            org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> pausedConnections() == 1);
            long pausedAt = System.nanoTime();
            // the replies waiting stay far below the 2 MB: the 3 s without reading close it
            org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> unreadDrops() == droppedBefore + 1);
            assertThat(Duration.ofNanos(System.nanoTime() - pausedAt)).isGreaterThan(Duration.ofSeconds(2));
            assertThat(reader.closedWithin(WITHIN)).as("closed by the scheduler").isTrue();
        }
        org.awaitility.Awaitility.await().atMost(WITHIN).until(() -> pausedConnections() == 0);
    }

    /** @return the id of the submitted task, once it has succeeded */
    private String finished(io.taskwire.messages.TaskSpec spec) {
        String id = client.submit(spec).taskId();
        client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN);
        return id;
    }

    /** Direct memory read every 20 ms until closed, the highest reading kept. */
    private final class DirectPeak implements AutoCloseable {

        private final java.util.concurrent.atomic.AtomicLong highest = new java.util.concurrent.atomic.AtomicLong();
        private final reactor.core.Disposable sampling = Flux.interval(Duration.ofMillis(20))
                .subscribe(tick -> highest.accumulateAndGet(directNow(), Math::max));

        long highest() {
            return highest.get();
        }

        @Override
        public void close() {
            sampling.dispose();
        }
    }

    private double pausedConnections() {
        return meters.get("taskwire.connections.paused").gauge().value();
    }

    private double unreadDrops() {
        return meters.get("taskwire.connections.dropped").tag("reason", "unread").counter().count();
    }

    private double pendingSetups() {
        return meters.get("taskwire.connections.pending").gauge().value();
    }

    private reactor.core.publisher.Mono<List<TaskView>> realTasks() {
        var tasks = Flux.range(0, REAL_TASKS)
                .concatMap(n -> reactor.core.publisher.Mono.fromCallable(() -> client.submit(Specs.spec("budget-echo", n)))
                        .map(TaskView::taskId)
                        .map(id -> client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN)))
                .collectList()
                .subscribeOn(Schedulers.boundedElastic())
                .cache();
        tasks.subscribe();
        return tasks;
    }

    private static void assertAllSucceeded(List<TaskView> done) {
        assertThat(done).hasSize(REAL_TASKS).allSatisfy(view -> assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED));
    }

    private long direct() {
        System.gc();
        return directNow();
    }

    private long directNow() {
        return (long) meters.get("jvm.buffer.memory.used").tag("id", "direct").gauge().value();
    }

    private static void writeQuietly(RawConnection connection, byte[] bytes) {
        try {
            connection.write(bytes);
        } catch (IOException closedByTheScheduler) {
            // refused at the header: the rest of the bytes find the connection closed
        }
    }
}
