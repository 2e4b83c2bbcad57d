package io.taskwire.worker.connection;

import io.taskwire.messages.Protocol;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.messages.WorkerHello;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WorkerTest({
        "taskwire.worker.id=w-hello",
        "taskwire.worker.token=" + RegistrationTest.TOKEN,
        "taskwire.worker.host=worker-7.test",
        "taskwire.worker.slots=3",
        "taskwire.worker.labels.zone=a",
        "taskwire.worker.labels.disk=ssd",
        "taskwire.worker.heartbeat-interval=200ms",
        "taskwire.worker.registration-timeout=60s"})
class RegistrationTest {

    static final String TOKEN = "registration-test-worker-token";

    /** Sends no worker.config until a test does. */
    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(null).start(0);

    @Autowired
    SchedulerConnection connection;

    @Test
    void registersWithHelloAdvertisingHandlers() {
        FakeScheduler.Setup setup = scheduler.awaitSetups(1, Duration.ofSeconds(10));

        assertThat(setup.route()).isEqualTo(Routes.WORKER_CONNECT);
        assertThat(Protocol.isJson(setup.dataMimeType())).as("data MIME %s", setup.dataMimeType()).isTrue();
        assertThat(setup.metadataMimeType()).isEqualTo(Protocol.METADATA_MIME_TYPE);
        assertThat(setup.bearerToken()).as("the worker token, as message/x.rsocket.authentication.v0 bearer")
                .isEqualTo(TOKEN);
        WorkerHello hello = setup.hello();
        assertThat(hello.protocolVersion()).isEqualTo(1);
        assertThat(hello.workerId()).isEqualTo("w-hello");
        assertThat(hello.host()).isEqualTo("worker-7.test");
        assertThat(hello.slots()).isEqualTo(3);
        assertThat(hello.labels()).isEqualTo(Map.of("zone", "a", "disk", "ssd"));
        assertThat(hello.taskTypes()).containsExactly("echo", "sleep");
        assertThat(hello.version()).isNotBlank();
    }

    @Test
    void declaresKeepaliveWithinTheProtocolBounds() {
        FakeScheduler.Setup setup = scheduler.awaitSetups(1, Duration.ofSeconds(10));

        assertThat(setup.keepAliveInterval()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(setup.keepAliveMaxLifetime()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(300));
    }

    @Test
    void countsItselfRegisteredAndHeartbeatsOnlyOnceWorkerConfigArrives() throws InterruptedException {
        scheduler.awaitSetups(1, Duration.ofSeconds(10));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> connection.current().isEmpty());
        assertThat(scheduler.heartbeats()).as("heartbeats before worker.config").isEmpty();

        WorkerConfig config = new WorkerConfig(250, 3);
        scheduler.configure(config);

        await().atMost(Duration.ofSeconds(5)).until(() -> connection.current().isPresent());
        assertThat(connection.current().orElseThrow().config()).isEqualTo(config);
        assertThat(scheduler.heartbeats().poll(3, TimeUnit.SECONDS)).as("first heartbeat after worker.config")
                .isNotNull();
        assertThat(scheduler.setups()).as("registered on the first connection, no new SETUP").hasSize(1);
    }
}
