package io.taskwire.it;

import static org.awaitility.Awaitility.await;

import io.taskwire.client.TaskwireClient;
import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.worker.WorkerApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.rsocket.RSocketRequester;

/**
 * A scheduler and workers as separate Spring contexts in this JVM, each on random ports, talking
 * over real TCP exactly as separate processes would.
 */
final class LocalCluster implements AutoCloseable {


    final ConfigurableApplicationContext scheduler;
    final int httpPort;
    final int rsocketPort;
    final int managementPort;
    private final List<ConfigurableApplicationContext> workers = new ArrayList<>();
    private final List<RSocketRequester> clients = new ArrayList<>();

    private LocalCluster(ConfigurableApplicationContext scheduler) {
        this.scheduler = scheduler;
        this.httpPort = Integer.parseInt(scheduler.getEnvironment().getProperty("local.server.port"));
        this.rsocketPort = Integer.parseInt(scheduler.getEnvironment().getProperty("local.rsocket.server.port"));
        this.managementPort = managementPort(scheduler);
    }

    /** Starts a scheduler with fast heartbeats: interval 300 ms, timeout 1.5 s. */
    static LocalCluster start() {
        return new LocalCluster(SchedulerApplication.builder().run(Tokens.withSchedulerTokens(
                "--server.port=0",
                "--spring.rsocket.server.port=0",
                "--management.server.port=0",
                "--taskwire.scheduler.heartbeat.interval=300ms",
                "--taskwire.scheduler.heartbeat.timeout=1500ms",
                "--taskwire.scheduler.heartbeat.check-interval=50ms",
                "--taskwire.scheduler.heartbeat.ping-interval=500ms",
                "--taskwire.scheduler.tasks.declared-types=echo,sleep")));
    }

    /** Starts a worker dialing this scheduler; extra arguments are Spring properties as {@code --key=value}. */
    ConfigurableApplicationContext startWorker(String id, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--taskwire.worker.id=" + id,
                Tokens.WORKER_ARG,
                "--taskwire.worker.slots=8",
                "--taskwire.worker.scheduler.port=" + rsocketPort,
                "--resilience4j.retry.configs.connection.wait-duration=50ms",
                "--resilience4j.retry.configs.connection.exponential-max-wait-duration=500ms"));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext worker = WorkerApplication.builder().run(args.toArray(String[]::new));
        workers.add(worker);
        return worker;
    }

    /** A client connected over RSocket (SETUP {@code client.connect} already sent). */
    RSocketRequester client(String clientId) {
        RSocketRequester requester = Clients.connect("localhost", rsocketPort, clientId);
        clients.add(requester);
        return requester;
    }

    /** A {@link TaskwireClient} of this scheduler with the token, a 10 s request timeout; its caller closes it. */
    TaskwireClient taskwireClient(String token, String clientId) {
        return TaskwireClient.builder().addresses("127.0.0.1:" + rsocketPort).token(token).clientId(clientId)
                .requestTimeout(Duration.ofSeconds(10)).build();
    }

    /** Waits until the scheduler holds that many live workers. */
    void awaitLiveWorkers(int count, Duration within) {
        await().atMost(within).until(() -> schedulerBean(WorkerRegistry.class).live().size() == count);
    }

    /** @return the port a context serves its actuator on */
    static int managementPort(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.management.port");
        return Integer.parseInt(port != null ? port : context.getEnvironment().getProperty("local.server.port"));
    }

    String http(String path) {
        return "http://localhost:" + httpPort + path;
    }

    <T> T schedulerBean(Class<T> type) {
        return scheduler.getBean(type);
    }

    @Override
    public void close() {
        clients.forEach(RSocketRequester::dispose);
        workers.forEach(ConfigurableApplicationContext::close);
        scheduler.close();
    }
}
