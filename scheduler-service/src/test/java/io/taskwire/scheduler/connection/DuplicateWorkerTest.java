package io.taskwire.scheduler.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.registry.WorkerStatus;
import io.taskwire.scheduler.support.FakeWorker;
import io.taskwire.scheduler.support.Peers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.messaging.rsocket.RSocketRequester;

@RunningScheduler
class DuplicateWorkerTest {

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Test
    void secondSessionForLiveWorkerIdIsRejectedAsDuplicateAndFirstStaysRegistered() throws InterruptedException {
        try (FakeWorker first = FakeWorker.accepted(port, "dup-registered")) {
            WorkerSession live = registry.find("dup-registered").orElseThrow();

            ProtocolException refusal = RawSetup.rejectionOf(
                    RawSetup.withHello(FakeWorker.hello("dup-registered", 4, "echo")).connect(port));

            assertThat(refusal.code()).isEqualTo(ErrorCode.DUPLICATE);
            assertThat(refusal.detail()).contains("dup-registered");
            assertThat(registry.find("dup-registered")).containsSame(live);
            assertThat(live.status()).isEqualTo(WorkerStatus.ONLINE);
            assertThat(live.slots()).isEqualTo(1);
        }
    }

    @Test
    void firstSessionStillReceivesTasksAfterDuplicateIsRejected() throws InterruptedException {
        RSocketRequester client = Peers.client(port, "dup-client");
        try (FakeWorker first = FakeWorker.accepted(port, "dup-working")) {
            RawSetup.rejectionOf(RawSetup.withHello(FakeWorker.hello("dup-working", 4, "echo")).connect(port));

            TaskSpec pinned = new TaskSpec("echo", Json.mapper().createObjectNode().put("n", 7), null, null, null,
                    null, null, new Routing(RoutingStrategy.PINNED, "dup-working", null));
            TaskView submitted = client.route(Routes.TASK_SUBMIT).data(pinned).retrieveMono(TaskView.class)
                    .block(Duration.ofSeconds(5));

            TaskAssignment assignment = first.assignments.poll(5, TimeUnit.SECONDS);
            assertThat(assignment).isNotNull();
            assertThat(assignment.taskId()).isEqualTo(submitted.taskId());
        } finally {
            client.dispose();
        }
    }
}
