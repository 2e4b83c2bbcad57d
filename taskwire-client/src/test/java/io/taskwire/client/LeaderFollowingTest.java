package io.taskwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketServer;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.DefaultPayload;
import io.taskwire.client.error.UnauthorizedException;
import io.taskwire.client.error.UnavailableException;
import io.taskwire.messages.ErrorBody;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The client against RSocket servers over real TCP that play a scheduler's part: a standby that
 * refuses SETUP, a leader that answers, one that dies mid-request. Whatever the order of the
 * addresses, the client finds the one that leads, and it sends a request twice only when that is safe.
 */
class LeaderFollowingTest {

    private final List<CloseableChannel> servers = new ArrayList<>();
    private final List<TaskwireClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(TaskwireClient::close);
        servers.forEach(CloseableChannel::dispose);
    }

    @Test
    void aStandbyAndADeadAddressAreSkippedForTheLeader() throws Exception {
        int dead = freePort();
        Fake standby = standby();
        Fake leader = leader((route, data) -> Mono.just(view(Json.read(data, TaskRef.class).taskId())));
        TaskwireClient client = client(Duration.ofSeconds(10), "127.0.0.1:" + dead, standby.address(), leader.address());

        TaskView view = client.get("t-1");

        assertThat(view.taskId()).isEqualTo("t-1");
        assertThat(client.connectedTo()).hasValue(SchedulerAddress.parse(leader.address()));
        assertThat(standby.setups.get()).isEqualTo(1);
    }

    @Test
    void whenTheLeadersConnectionIsLostTheNextCallFindsTheNewLeader() throws Exception {
        Fake first = leader((route, data) -> Mono.just(view("from-first")));
        Fake second = standby();
        TaskwireClient client = client(Duration.ofSeconds(10), first.address(), second.address());
        assertThat(client.get("t").taskId()).isEqualTo("from-first");

        first.kill();
        second.leads = (route, data) -> Mono.just(view("from-second"));

        assertThat(client.get("t").taskId()).isEqualTo("from-second");
    }

    @Test
    void aSchedulerThatStaysUnavailableEndsTheCallWithItsMessageOnceTheTimeoutPasses() throws Exception {
        Fake outOfStore = leader((route, data) -> Mono.error(new ApplicationErrorException(
                Json.write(new ErrorBody("UNAVAILABLE", "the task store cannot be reached: No space left on device")))));
        TaskwireClient client = client(Duration.ofMillis(800), outOfStore.address());

        assertThatThrownBy(() -> client.get("t"))
                .isInstanceOfSatisfying(UnavailableException.class, unavailable ->
                        assertThat(unavailable.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("within 800 ms").hasMessageContaining("No space left on device");
        assertThat(outOfStore.requests.get()).as("tried again with backoff").isGreaterThan(1);
    }

    @Test
    void aRefusedTokenIsNotTriedAgain() throws Exception {
        Fake refusing = new Fake();
        refusing.start((setup, socket) -> {
            refusing.setups.incrementAndGet();
            return Mono.error(new RejectedSetupException(Json.write(new ErrorBody("UNAUTHORIZED", "bad token"))));
        });
        TaskwireClient client = client(Duration.ofSeconds(5), refusing.address());

        assertThatThrownBy(() -> client.get("t")).isInstanceOf(UnauthorizedException.class).hasMessageContaining("bad token");
        assertThat(refusing.setups.get()).isEqualTo(1);
    }

    @Test
    void aSubmissionLostWithItsConnectionIsSentAgainOnlyWithAnIdempotencyKey() throws Exception {
        AtomicInteger submissions = new AtomicInteger();
        Fake flaky = new Fake();
        flaky.start((setup, socket) -> Mono.just(new RSocket() {
            @Override
            public Mono<Payload> requestResponse(Payload payload) {
                TaskSpec spec = Json.read(payload.getDataUtf8().getBytes(), TaskSpec.class);
                payload.release();
                if (submissions.incrementAndGet() <= 2) {
                    socket.dispose();
                    return Mono.never();
                }
                return Mono.just(DefaultPayload.create(Json.write(view(spec.type()))));
            }
        }));
        TaskwireClient client = client(Duration.ofSeconds(10), flaky.address());

        assertThatThrownBy(() -> client.submit(TaskRequest.of("echo", 1)))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("may have been served");
        assertThat(submissions.get()).isEqualTo(1);

        TaskView resent = client.submit(TaskRequest.of("echo", 1).idempotencyKey("order-17"));
        assertThat(resent.type()).isEqualTo("echo");
        assertThat(submissions.get()).as("lost once, then sent again").isEqualTo(3);
    }

    @Test
    void aScheduleCallLostWithItsConnectionIsSentAgainButATriggerIsNot() throws Exception {
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        Fake flaky = new Fake();
        flaky.start((setup, socket) -> Mono.just(new RSocket() {
            @Override
            public Mono<Payload> requestResponse(Payload payload) {
                String route = RouteMetadata.route(payload.metadata());
                payload.release();
                // the first request of each route is lost with its connection
                if (received.computeIfAbsent(route, any -> new AtomicInteger()).incrementAndGet() == 1) {
                    socket.dispose();
                    return Mono.never();
                }
                Object answer = switch (route) {
                    case Routes.SCHEDULE_TRIGGER -> view("fired");
                    case Routes.SCHEDULE_LIST -> List.of(schedule("nightly"));
                    default -> schedule("nightly");
                };
                return Mono.just(DefaultPayload.create(Json.write(answer)));
            }
        }));
        TaskwireClient client = client(Duration.ofSeconds(10), flaky.address());

        assertThatThrownBy(() -> client.triggerSchedule("nightly"))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("trigger schedule nightly").hasMessageContaining("may have been served");
        assertThat(received.get(Routes.SCHEDULE_TRIGGER)).as("not sent again").hasValue(1);

        assertThat(client.putSchedule(schedule("nightly").spec()).scheduleId()).isEqualTo("nightly");
        assertThat(client.getSchedule("nightly").scheduleId()).isEqualTo("nightly");
        assertThat(client.listSchedules(10)).extracting(ScheduleView::scheduleId).containsExactly("nightly");
        assertThat(client.pauseSchedule("nightly").scheduleId()).isEqualTo("nightly");
        assertThat(client.resumeSchedule("nightly").scheduleId()).isEqualTo("nightly");
        assertThat(client.deleteSchedule("nightly").scheduleId()).isEqualTo("nightly");
        assertThat(client.triggerSchedule("nightly").taskId()).isEqualTo("fired");

        assertThat(received).as("each lost once, then sent again; the trigger only when called again")
                .containsOnlyKeys(Routes.SCHEDULE_TRIGGER, Routes.SCHEDULE_PUT, Routes.SCHEDULE_GET,
                        Routes.SCHEDULE_LIST, Routes.SCHEDULE_PAUSE, Routes.SCHEDULE_RESUME, Routes.SCHEDULE_DELETE)
                .allSatisfy((route, count) -> assertThat(count).as(route).hasValue(2));
    }

    private TaskwireClient client(Duration requestTimeout, String... addresses) {
        TaskwireClient client = TaskwireClient.builder().addresses(addresses).token("t")
                .requestTimeout(requestTimeout).backoff(Duration.ofMillis(20), Duration.ofMillis(100)).build();
        clients.add(client);
        return client;
    }

    private Fake standby() {
        Fake standby = new Fake();
        standby.start((setup, socket) -> {
            if (standby.leads != null) {
                return Mono.just(responder(standby));
            }
            standby.setups.incrementAndGet();
            return Mono.error(new RejectedSetupException(Json.write(new ErrorBody("UNAVAILABLE",
                    "this scheduler is a standby; the leader is elsewhere"))));
        });
        return standby;
    }

    private Fake leader(BiFunction<String, byte[], Mono<TaskView>> answer) {
        Fake leader = new Fake();
        leader.leads = answer;
        leader.start((setup, socket) -> {
            leader.connections.add(socket);
            return Mono.just(responder(leader));
        });
        return leader;
    }

    private static RSocket responder(Fake fake) {
        return new RSocket() {
            @Override
            public Mono<Payload> requestResponse(Payload payload) {
                fake.requests.incrementAndGet();
                String route = RouteMetadata.route(payload.metadata());
                byte[] data = payload.getDataUtf8().getBytes();
                payload.release();
                return fake.leads.apply(route, data).map(view -> DefaultPayload.create(Json.write(view)));
            }
        };
    }

    private static TaskView view(String taskId) {
        return new TaskView(taskId, "echo", TaskStatus.PENDING, 0, null, Instant.now(), null, null, null, null);
    }

    private static ScheduleView schedule(String scheduleId) {
        Instant now = Instant.now();
        ScheduleSpec spec = new ScheduleSpec(scheduleId, "0 2 * * *", null, null, TaskSpec.of("echo", IntNode.valueOf(1)),
                null, null, null, null, null, null);
        return new ScheduleView(scheduleId, spec, false, null, null, null, 0, now, now, null, null);
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** An RSocket server on a random loopback port. */
    private final class Fake {
        final AtomicInteger setups = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        volatile BiFunction<String, byte[], Mono<TaskView>> leads;
        final List<RSocket> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
        CloseableChannel channel;

        /** As a killed process: stops listening, and every connection closes. */
        void kill() {
            channel.dispose();
            connections.forEach(RSocket::dispose);
            channel.onClose().block(Duration.ofSeconds(5));
        }

        void start(io.rsocket.SocketAcceptor acceptor) {
            channel = RSocketServer.create(acceptor).bind(TcpServerTransport.create("127.0.0.1", 0))
                    .block(Duration.ofSeconds(5));
            servers.add(channel);
        }

        String address() {
            InetSocketAddress bound = channel.address();
            return "127.0.0.1:" + bound.getPort();
        }
    }
}
