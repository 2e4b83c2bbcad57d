package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.support.FakeWorker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SchedulerTest
class RoutingStrategiesTest extends WithFakeWorkersAndClient {

    @Test
    void roundRobinSpreadsTasksOverEveryWorker() {
        FakeWorker a = workers.echo("rr-a", "rr-echo");
        FakeWorker b = workers.echo("rr-b", "rr-echo");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(client.submit(Specs.spec("rr-echo", i)).taskId());
        }
        ids.forEach(id -> client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN));

        assertThat(a.assignments.size() + b.assignments.size()).isEqualTo(20);
        assertThat(a.assignments).as("tasks on rr-a").hasSizeGreaterThanOrEqualTo(5);
        assertThat(b.assignments).as("tasks on rr-b").hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void leastLoadedPrefersTheWorkerWithFewerTasksInFlight() {
        // ll-a sorts first, so it would win every tie; it holds two tasks that never end
        FakeWorker busy = workers.silent("ll-a", "ll-echo");
        FakeWorker idle = workers.echo("ll-b", "ll-echo");
        client.submit(Specs.pinned("ll-echo", 0, "ll-a"));
        client.submit(Specs.pinned("ll-echo", 1, "ll-a"));
        FakeWorkers.take(busy.assignments, 2, WITHIN);

        Routing leastLoaded = new Routing(RoutingStrategy.LEAST_LOADED, null, null);
        for (int i = 0; i < 4; i++) {
            String id = client.submit(Specs.routed("ll-echo", 10 + i, leastLoaded)).taskId();
            assertThat(client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN).workerId()).isEqualTo("ll-b");
        }
        assertThat(idle.assignments).hasSize(4);
        assertThat(busy.assignments).isEmpty();
    }

    @Test
    void consistentHashKeepsAKeyOnOneWorkerAndMovesOnlySomeKeysToAJoiningWorker() {
        workers.echo("ch-a", "ch-echo");
        workers.echo("ch-b", "ch-echo");
        Map<String, String> first = runKeys();
        Map<String, String> second = runKeys();
        assertThat(second).as("the same key goes to the same worker every time").isEqualTo(first);
        assertThat(first.values()).as("both workers own keys").contains("ch-a", "ch-b");

        workers.echo("ch-c", "ch-echo");
        Map<String, String> third = runKeys();

        List<String> moved = first.keySet().stream().filter(key -> !first.get(key).equals(third.get(key))).toList();
        assertThat(moved).as("some keys move to the new worker").isNotEmpty();
        assertThat(moved).as("but not all").hasSizeLessThan(first.size());
        moved.forEach(key -> assertThat(third.get(key)).as("moved key %s", key).isEqualTo("ch-c"));
    }

    /** Runs one task for each of 20 keys; @return the worker each key ran on. */
    private Map<String, String> runKeys() {
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            ids.put("tenant-" + i, client.submit(Specs.keyed("ch-echo", i, "tenant-" + i)).taskId());
        }
        Map<String, String> owners = new LinkedHashMap<>();
        ids.forEach((key, id) -> owners.put(key, client.awaitStatus(id, TaskStatus.SUCCEEDED, WITHIN).workerId()));
        return owners;
    }

    @Test
    void succeededViewCarriesTheWorkersOutput() {
        workers.echo("out-a", "out-echo");

        TaskView view = client.awaitStatus(client.submit(Specs.spec("out-echo", 42)).taskId(),
                TaskStatus.SUCCEEDED, WITHIN);

        assertThat(view.output()).isEqualTo(Specs.payload(42));
        assertThat(view.attempt()).isEqualTo(1);
        assertThat(view.finishedAt()).isNotNull();
    }
}
