package io.taskwire.scheduler.dispatch;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;

/**
 * What a {@link SchedulerTest} class drives the scheduler with: fake workers it starts as it needs
 * them and a task client, both fresh before each test and closed after it. A subclass's own
 * {@code @BeforeEach} runs after they are connected, its own {@code @AfterEach} before they close.
 */
public abstract class WithFakeWorkersAndClient {

    /** How long a test waits for what it expects to happen. */
    protected static final Duration WITHIN = Duration.ofSeconds(5);

    @LocalRSocketServerPort
    int port;

    protected FakeWorkers workers;
    protected TaskClient client;

    @BeforeEach
    void connectWorkersAndClient() {
        workers = new FakeWorkers(port);
        client = TaskClient.connect(port);
    }

    @AfterEach
    void closeClientAndWorkers() {
        client.close();
        workers.close();
    }
}
