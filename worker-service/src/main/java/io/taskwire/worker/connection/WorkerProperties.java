package io.taskwire.worker.connection;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker.
 *
 * @param id the worker's id, unique among live workers; {@code <host>-<pid>} when blank
 * @param host what the worker reports as its host; the machine's name when blank
 * @param slots tasks run at once
 * @param labels labels tasks can select this worker by ({@code routing.labels})
 * @param scheduler where the scheduler listens
 * @param keepaliveInterval RSocket keepalive interval declared in SETUP (1 s to 60 s)
 * @param keepaliveMaxLifetime RSocket keepalive max lifetime declared in SETUP (3 s to 300 s)
 * @param registrationTimeout how long to wait for {@code worker.config} after SETUP before trying again
 * @param outbox results kept while the connection is down
 * @param shutdownTimeout how long a stopping worker waits for its running tasks and their delivery
 */
@ConfigurationProperties("taskwire.worker")
public record WorkerProperties(
        String id,
        String host,
        @DefaultValue("4") int slots,
        @DefaultValue Map<String, String> labels,
        @DefaultValue Scheduler scheduler,
        @DefaultValue("5s") Duration keepaliveInterval,
        @DefaultValue("20s") Duration keepaliveMaxLifetime,
        @DefaultValue("10s") Duration registrationTimeout,
        @DefaultValue Outbox outbox,
        @DefaultValue("30s") Duration shutdownTimeout) {

    public WorkerProperties {
        host = host == null || host.isBlank() ? localHostName() : host;
        id = id == null || id.isBlank() ? host + "-" + ManagementFactory.getRuntimeMXBean().getPid() : id;
        if (slots < 1) {
            throw new IllegalArgumentException("taskwire.worker.slots must be at least 1, was " + slots);
        }
    }

    /**
     * @param host the scheduler's host name or address
     * @param port the scheduler's RSocket port
     */
    public record Scheduler(@DefaultValue("localhost") String host, @DefaultValue("7000") int port) {
    }

    /**
     * The result outbox.
     *
     * @param capacity results kept at most; beyond, the oldest is dropped (and its task runs again)
     * @param flushInterval how often waiting results are sent while connected
     * @param batchSize results per {@code task.result.batch}
     * @param resendWindow replies sent this long before a disconnection are delivered again
     */
    public record Outbox(@DefaultValue("10000") int capacity, @DefaultValue("500ms") Duration flushInterval,
                         @DefaultValue("100") int batchSize, @DefaultValue("5s") Duration resendWindow) {
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
