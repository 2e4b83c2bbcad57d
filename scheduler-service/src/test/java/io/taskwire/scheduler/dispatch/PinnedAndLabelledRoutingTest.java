package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.TaskStatus;
import io.taskwire.scheduler.support.FakeWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SchedulerTest
class PinnedAndLabelledRoutingTest extends WithFakeWorkersAndClient {

    private static final Duration PENDING_FOR = Duration.ofMillis(500);

    @Test
    void pinnedTasksRunOnlyOnTheNamedWorker() {
        FakeWorker other = workers.echo("pin-a", "pin-echo");
        FakeWorker named = workers.echo("pin-b", "pin-echo");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(client.submit(Specs.pinned("pin-echo", i, "pin-b")).taskId());
        }
        ids.forEach(id -> assertThat(client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN).workerId()).isEqualTo("pin-b"));

        assertThat(named.assignments).hasSize(6);
        assertThat(other.assignments).isEmpty();
    }

    @Test
    void pinnedTaskWaitsForItsAbsentWorkerAndRunsWhenItConnects() {
        FakeWorker other = workers.echo("pin-wait-a", "pin-wait-echo");
        String id = client.submit(Specs.pinned("pin-wait-echo", 1, "pin-wait-b")).taskId();

        client.assertStaysPending(id, PENDING_FOR);
        assertThat(other.assignments).isEmpty();

        workers.echo("pin-wait-b", "pin-wait-echo");
        assertThat(client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN).workerId()).isEqualTo("pin-wait-b");
    }

    @Test
    void labelledTaskNeverGoesToAWorkerWithoutTheLabelsAndRunsWhenOneConnects() {
        FakeWorker zoneA = workers.start(FakeWorker.hello("zone-a", 4, Map.of("zone", "a"), "zoned"),
                assignment -> FakeWorker.echo(assignment, "zone-a"));
        String id = client.submit(Specs.labelled("zoned", 1, Map.of("zone", "b"))).taskId();

        client.assertStaysPending(id, PENDING_FOR);
        assertThat(zoneA.assignments).isEmpty();

        FakeWorker zoneB = workers.start(FakeWorker.hello("zone-b", 4, Map.of("zone", "b", "disk", "ssd"), "zoned"),
                assignment -> FakeWorker.echo(assignment, "zone-b"));
        assertThat(client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN).workerId()).isEqualTo("zone-b");
        assertThat(zoneB.assignments).hasSize(1);
        assertThat(zoneA.assignments).isEmpty();
    }
}
