package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.Clients;
import io.taskwire.it.Tokens;
import io.taskwire.messages.Json;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.postgres.PostgresServer;
import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.scheduler.leadership.Leadership;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.worker.WorkerApplication;
import io.taskwire.worker.connection.Connected;
import io.taskwire.worker.connection.SchedulerConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.messaging.rsocket.RSocketRequester;

/**
 * Workers given every scheduler's address (PROTOCOL.md section 7) reach the one that leads, in
 * whichever order the addresses come, and follow the lead when it passes to the standby.
 */
class FollowTheLeaderTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private final PostgresServer.Database database = PostgresServer.shared().newDatabase();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final List<RSocketRequester> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RSocketRequester::dispose);
        // workers first, then the schedulers
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    @Test
    void workersReachTheLeaderWhicheverAddressComesFirstAndFollowTheLeadToTheStandby() {
        int leaderPort = InProcessScheduler.freePort();
        ConfigurableApplicationContext leader = scheduler(leaderPort);
        int standbyPort = InProcessScheduler.freePort();
        ConfigurableApplicationContext standby = scheduler(standbyPort);
        assertThat(leader.getBean(Leadership.class).leads()).isTrue();
        assertThat(standby.getBean(Leadership.class).leads()).isFalse();

        String both = "localhost:" + standbyPort + ",localhost:" + leaderPort;
        String reversed = "localhost:" + leaderPort + ",localhost:" + standbyPort;
        ConfigurableApplicationContext standbyFirst = worker("standby-first", both);
        ConfigurableApplicationContext leaderFirst = worker("leader-first", reversed);

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(registeredWith(standbyFirst)).isEqualTo("localhost:" + leaderPort);
            assertThat(registeredWith(leaderFirst)).isEqualTo("localhost:" + leaderPort);
        });
        assertThat(leader.getBean(WorkerRegistry.class).find("standby-first")).isPresent();
        assertThat(leader.getBean(WorkerRegistry.class).find("leader-first")).isPresent();

        leader.close(); // gives the lead up: the standby takes it, and the workers follow

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(standby.getBean(Leadership.class).leads()).isTrue();
            assertThat(registeredWith(standbyFirst)).isEqualTo("localhost:" + standbyPort);
            assertThat(registeredWith(leaderFirst)).isEqualTo("localhost:" + standbyPort);
        });
        RSocketRequester client = Clients.connect("localhost", standbyPort, "follow-client");
        clients.add(client);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TaskView accepted = client.route(Routes.TASK_SUBMIT)
                    .data(TaskSpec.of("echo", Json.mapper().valueToTree(Map.of("n", i))))
                    .retrieveMono(TaskView.class).block(WITHIN);
            ids.add(accepted.taskId());
        }
        for (String id : ids) {
            await().atMost(WITHIN).until(() -> client.route(Routes.TASK_GET).data(new TaskRef(id))
                    .retrieveMono(TaskView.class).block(WITHIN).status() == TaskStatus.SUCCEEDED);
        }
    }

    /** @return the address the worker is registered with now; null while it is not */
    private static String registeredWith(ConfigurableApplicationContext worker) {
        return worker.getBean(SchedulerConnection.class).current().map(Connected::scheduler).orElse(null);
    }

    /**
     * A scheduler on the shared database whose Reactor Netty resources are its own: with the global
     * ones, closing one scheduler of this JVM would close the other's RSocket server too.
     */
    private ConfigurableApplicationContext scheduler(int rsocketPort) {
        ConfigurableApplicationContext context = SchedulerApplication.builder()
                .initializers(app -> ((GenericApplicationContext) app).registerBean(ReactorResourceFactory.class, () -> {
                    ReactorResourceFactory own = new ReactorResourceFactory();
                    own.setUseGlobalResources(false);
                    return own;
                }))
                .run(Tokens.withSchedulerTokens(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--spring.rsocket.server.port=" + rsocketPort,
                        "--taskwire.scheduler.advertised-address=localhost:" + rsocketPort,
                        "--taskwire.scheduler.tasks.declared-types=echo",
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.user()));
        contexts.add(context);
        return context;
    }

    private ConfigurableApplicationContext worker(String id, String addresses) {
        ConfigurableApplicationContext context = WorkerApplication.builder().run(
                "--server.port=0",
                "--taskwire.worker.id=" + id,
                Tokens.WORKER_ARG,
                "--taskwire.worker.scheduler.addresses=" + addresses,
                "--resilience4j.retry.configs.connection.wait-duration=50ms",
                "--resilience4j.retry.configs.connection.exponential-max-wait-duration=500ms");
        contexts.add(context);
        return context;
    }
}
