package io.taskwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskwire.messages.Routes;
import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.registry.WorkerLeft;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.worker.connection.Connected;
import io.taskwire.worker.connection.SchedulerConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.rsocket.RSocketRequester;

/** Workers coming and going: the registry notices in time, and waiting tasks run when a worker appears. */
class WorkerLifecycleTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private LocalCluster cluster;
    private WorkerRegistry registry;
    private final List<WorkerLeft> departures = new CopyOnWriteArrayList<>();
    private volatile long departedAt;

    @BeforeEach
    void startScheduler() {
        cluster = LocalCluster.start();
        registry = cluster.schedulerBean(WorkerRegistry.class);
        cluster.scheduler.addApplicationListener(event -> {
            if (event instanceof PayloadApplicationEvent<?> payload && payload.getPayload() instanceof WorkerLeft left) {
                departedAt = System.nanoTime();
                departures.add(left);
            }
        });
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void closedWorkerLeavesTheRegistryWithinOneSecond() {
        ConfigurableApplicationContext worker = cluster.startWorker("short-lived");
        await().atMost(LIMIT).until(() -> registry.find("short-lived").isPresent());
        Connected connection = worker.getBean(SchedulerConnection.class).current().orElseThrow();

        long closedAt = System.nanoTime();
        connection.requester().rsocket().dispose();

        await().atMost(Duration.ofSeconds(1)).until(() -> !departures.isEmpty());
        assertThat(Duration.ofNanos(departedAt - closedAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(departures.get(0).session().id()).isEqualTo("short-lived");
        assertThat(departures.get(0).reason()).isEqualTo("connection closed");
    }

    @Test
    void stoppedWorkerProcessLeavesTheRegistry() {
        ConfigurableApplicationContext worker = cluster.startWorker("stopping");
        await().atMost(LIMIT).until(() -> registry.find("stopping").isPresent());

        worker.close();

        await().atMost(Duration.ofSeconds(1)).until(() -> registry.find("stopping").isEmpty());
        assertThat(registry.all()).anySatisfy(session -> {
            assertThat(session.id()).isEqualTo("stopping");
            assertThat(session.status()).isEqualTo(io.taskwire.scheduler.registry.WorkerStatus.OFFLINE);
        });
    }

    @Test
    void silentWorkerIsDeclaredOfflineWithinTheHeartbeatTimeout() {
        ConfigurableApplicationContext worker = cluster.startWorker("goes-quiet");
        await().atMost(LIMIT).until(() -> registry.find("goes-quiet").isPresent());

        long silentFrom = System.nanoTime();
        worker.getBean("heartbeatSender", SmartLifecycle.class).stop();

        await().atMost(Duration.ofSeconds(3)).until(() -> !departures.isEmpty());
        Duration detectedAfter = Duration.ofNanos(System.nanoTime() - silentFrom);
        assertThat(departures.get(0).session().id()).isEqualTo("goes-quiet");
        assertThat(departures.get(0).reason()).startsWith("no heartbeat for");
        // timeout 1.5 s after the last heartbeat, which came at most one interval (300 ms) before silence
        assertThat(detectedAfter).isBetween(Duration.ofMillis(1100), Duration.ofMillis(2500));
    }

    @Test
    void taskWithNoEligibleWorkerWaitsAndRunsWhenOneConnects() {
        cluster.startWorker("zone-a", "--taskwire.worker.labels.zone=a");
        await().atMost(LIMIT).until(() -> registry.find("zone-a").isPresent());
        RSocketRequester client = cluster.client("waiting");
        TaskSpec spec = new TaskSpec("echo", JsonNodeFactory.instance.textNode("later"), null, null, null, null, null,
                new Routing(RoutingStrategy.ROUND_ROBIN, null, Map.of("zone", "b")));

        TaskView accepted = client.route(Routes.TASK_SUBMIT).data(spec).retrieveMono(TaskView.class).block(LIMIT);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1))
                .until(() -> get(client, accepted.taskId()).status() == TaskStatus.PENDING);

        cluster.startWorker("zone-b", "--taskwire.worker.labels.zone=b");

        await().atMost(LIMIT).until(() -> get(client, accepted.taskId()).status() == TaskStatus.SUCCEEDED);
        TaskView done = get(client, accepted.taskId());
        assertThat(done.workerId()).isEqualTo("zone-b");
        assertThat(done.output().asText()).isEqualTo("later");
    }

    private static TaskView get(RSocketRequester client, String taskId) {
        return client.route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class).block(LIMIT);
    }
}
