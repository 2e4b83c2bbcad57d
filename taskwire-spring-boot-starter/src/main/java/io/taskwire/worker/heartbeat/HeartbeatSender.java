package io.taskwire.worker.heartbeat;

import com.sun.management.OperatingSystemMXBean;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.worker.capacity.Slots;
import io.taskwire.worker.connection.Connected;
import io.taskwire.worker.connection.ConnectionProperties;
import io.taskwire.worker.connection.SchedulerConnection;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.taskwire.transport.SubscriptionLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends {@code worker.heartbeat} with the worker's load, at the interval the scheduler pushed, for
 * as long as the worker is registered; it starts again on every new connection.
 */
@Component
public class HeartbeatSender extends SubscriptionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatSender.class);

    private final SchedulerConnection connection;
    private final Slots slots;
    private final ConnectionProperties properties;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final OperatingSystemMXBean os =
            ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    private volatile Instant lastSent;
    private volatile Instant lastPinged;

    HeartbeatSender(SchedulerConnection connection, Slots slots, ConnectionProperties properties, Clock clock) {
        this.connection = connection;
        this.slots = slots;
        this.properties = properties;
        this.clock = clock;
    }

    /** @return when the last heartbeat went out, if one did */
    public Optional<Instant> lastSent() {
        return Optional.ofNullable(lastSent);
    }

    /** @return when the scheduler last pinged this worker, if it did */
    public Optional<Instant> lastPinged() {
        return Optional.ofNullable(lastPinged);
    }

    void pinged(Instant at) {
        lastPinged = at;
    }

    @Override
    protected Disposable subscribe() {
        return connection.changes().switchMap(this::beats).subscribe();
    }



    /** Stops after {@code DrainOnShutdown}, which needs the connection to deliver the last results. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1000;
    }

    private Flux<Void> beats(Optional<Connected> registered) {
        if (registered.isEmpty()) {
            return Flux.empty();
        }
        Connected connected = registered.get();
        Duration interval = Duration.ofMillis(connected.config().heartbeatIntervalMs());
        return Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> send(connected));
    }

    private Mono<Void> send(Connected connected) {
        return connected.requester().route(Routes.WORKER_HEARTBEAT)
                .data(heartbeat())
                .send()
                .doOnSuccess(sent -> lastSent = clock.instant())
                .doOnError(e -> log.debug("Heartbeat not sent: {}", e.toString()))
                .onErrorComplete();
    }

    private WorkerHeartbeat heartbeat() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new WorkerHeartbeat(properties.id(), sequence.incrementAndGet(), clock.instant(), slots.inUse(),
                slots.free(), os.getProcessCpuLoad(), heap.getUsed(), heap.getMax());
    }
}
