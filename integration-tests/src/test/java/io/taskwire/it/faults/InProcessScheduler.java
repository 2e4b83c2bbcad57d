package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.it.Clients;
import io.taskwire.it.Tokens;
import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.scheduler.dispatch.WorkerBreakers;
import io.taskwire.scheduler.registry.WorkerLeft;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.TaskLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.messaging.rsocket.RSocketRequester;

/**
 * The scheduler as a Spring context in this JVM with fast heartbeats (interval 300 ms, timeout
 * 1.5 s), noting the moment each worker leaves. Workers are separate processes dialing its RSocket port.
 */
public final class InProcessScheduler implements AutoCloseable {

    static final Duration HEARTBEAT_TIMEOUT = Duration.ofMillis(1500);


    private final ConfigurableApplicationContext context;
    private final int rsocketPort;
    private final BlockingQueue<Departure> departures = new LinkedBlockingQueue<>();
    private final List<RSocketRequester> clients = new CopyOnWriteArrayList<>();

    private InProcessScheduler(ConfigurableApplicationContext context) {
        this.context = context;
        this.rsocketPort = Integer.parseInt(context.getEnvironment().getProperty("local.rsocket.server.port"));
        context.addApplicationListener(event -> {
            if (event instanceof PayloadApplicationEvent<?> payload && payload.getPayload() instanceof WorkerLeft left) {
                departures.add(new Departure(left, System.nanoTime(), Instant.now()));
            }
        });
    }

    /** Starts a scheduler on a random RSocket port. */
    static InProcessScheduler start() {
        return start(0);
    }

    /** Starts a scheduler on the given RSocket port (0: a random one); its HTTP port is always random. */
    static InProcessScheduler start(int rsocketPort) {
        return start(rsocketPort, new String[0]);
    }

    /** Starts a scheduler on a random RSocket port with more Spring properties, as {@code --key=value}. */
    public static InProcessScheduler startWith(String... properties) {
        return start(0, properties);
    }

    private static InProcessScheduler start(int rsocketPort, String... properties) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("server.port", "0");
        args.put("management.server.port", "0");
        args.put("spring.rsocket.server.port", String.valueOf(rsocketPort));
        args.put("taskwire.scheduler.heartbeat.interval", "300ms");
        args.put("taskwire.scheduler.heartbeat.timeout", HEARTBEAT_TIMEOUT.toMillis() + "ms");
        args.put("taskwire.scheduler.heartbeat.check-interval", "50ms");
        args.put("taskwire.scheduler.heartbeat.ping-interval", "500ms");
        args.put("taskwire.scheduler.tasks.declared-types", "echo,sleep");
        args.put("taskwire.security.worker-tokens", Tokens.WORKER);
        args.put("taskwire.security.client-tokens", Tokens.CLIENT);
        for (String property : properties) {
            // a test's own value replaces the default: Spring would join repeated options with commas
            String[] keyValue = property.replaceFirst("^--", "").split("=", 2);
            args.put(keyValue[0], keyValue[1]);
        }
        String[] commandLine = args.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue()).toArray(String[]::new);
        return new InProcessScheduler(SchedulerApplication.builder().run(commandLine));
    }

    /** @return a loopback port free right now, for a scheduler that must come back on the same one */
    static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int rsocketPort() {
        return rsocketPort;
    }

    /** @return the port of the HTTP API */
    public int httpPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** @return the port the scheduler serves Actuator on */
    public int managementPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
    }

    /** @return a bean of the scheduler's context */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public WorkerRegistry registry() {
        return context.getBean(WorkerRegistry.class);
    }

    /** @return the attempts the scheduler counts in flight on a live worker, -1 when it is not live */
    int inFlight(String workerId) {
        return registry().find(workerId).map(WorkerSession::inFlight).orElse(-1);
    }

    /** @return results workers delivered by {@code task.result(.batch)} that were acknowledged so: accepted, duplicate, stale */
    long resultsDelivered(String ack) {
        Counter counter = context.getBean(MeterRegistry.class).find("taskwire.results.delivered").tag("ack", ack).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /**
     * Waits until the newest state of each task is committed. Watchers see a transition before its
     * commit, and a result delivered by {@code task.result} is acknowledged (and counted) after it:
     * a test that has seen a task end waits here before it reads {@link #resultsDelivered}.
     */
    void awaitStored(Collection<String> taskIds, Duration within) {
        TaskLedger tasks = context.getBean(TaskLedger.class);
        await().atMost(within).pollInterval(Duration.ofMillis(10)).until(() -> taskIds.stream()
                .allMatch(id -> tasks.find(id).map(tasks::isStored).orElse(false)));
    }

    /** @return the circuit breaker of a live worker */
    CircuitBreaker breaker(String workerId) {
        return context.getBean(WorkerBreakers.class).of(registry().find(workerId).orElseThrow());
    }

    /** A client connected over RSocket (SETUP {@code client.connect} already sent). */
    public RSocketRequester client(String clientId) {
        RSocketRequester requester = Clients.connect("127.0.0.1", rsocketPort, clientId);
        clients.add(requester);
        return requester;
    }

    /** @return every departure seen so far and not yet taken by {@link #awaitDeparture} */
    List<Departure> departures() {
        return List.copyOf(departures);
    }

    /** Waits for the worker's {@link WorkerLeft}, skipping other workers'; fails when none comes in time. */
    Departure awaitDeparture(String workerId, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (long left = within.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Departure next = departures.poll(left, TimeUnit.NANOSECONDS);
            if (next != null && next.left().session().id().equals(workerId)) {
                return next;
            }
        }
        return fail("worker %s did not leave the registry within %s", workerId, within);
    }

    @Override
    public void close() {
        clients.forEach(RSocketRequester::dispose);
        context.close();
    }

    /**
     * A worker left.
     *
     * @param left the event
     * @param atNanos when it was published, on {@link System#nanoTime()}
     * @param at the same moment on the wall clock, to compare with the scheduler's timestamps
     */
    record Departure(WorkerLeft left, long atNanos, Instant at) {

        /** @return how long after the given {@link System#nanoTime()} the worker left */
        Duration since(long startNanos) {
            return Duration.ofNanos(atNanos - startNanos);
        }
    }
}
