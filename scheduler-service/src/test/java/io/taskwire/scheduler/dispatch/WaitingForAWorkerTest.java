package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@SchedulerTest
class WaitingForAWorkerTest extends WithFakeWorkersAndClient {

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
