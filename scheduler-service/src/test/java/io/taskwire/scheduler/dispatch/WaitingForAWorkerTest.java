package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;

@SchedulerTest
class WaitingForAWorkerTest {

    @LocalRSocketServerPort
    int port;

    private FakeWorkers workers;
    private TaskClient client;

    @BeforeEach
    void connect() {
        workers = new FakeWorkers(port);
        client = TaskClient.connect(port);
    }

    @AfterEach
    void close() {
        client.close();
        workers.close();
    }

    @Test
    void taskOfADeclaredTypeWaitsPendingUntilAWorkerForItConnects() {
        String id = client.submit(Specs.spec(SchedulerTest.DECLARED_TYPE, 1)).taskId();

        client.assertStaysPending(id, Duration.ofMillis(500));

        workers.echo("later-a", SchedulerTest.DECLARED_TYPE);
        TaskView done = client.awaitStatus(id, TaskStatus.SUCCEEDED, Duration.ofSeconds(2));
        assertThat(done.workerId()).isEqualTo("later-a");
        assertThat(done.output()).isEqualTo(Specs.payload(1));
    }
}
