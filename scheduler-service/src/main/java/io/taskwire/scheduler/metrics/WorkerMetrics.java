package io.taskwire.scheduler.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.scheduler.registry.WorkerJoined;
import io.taskwire.scheduler.registry.WorkerLeft;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.registry.WorkerStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Registry metrics: {@code taskwire.workers} by {@code status}; per live worker (tag {@code worker},
 * removed when it leaves) the heartbeat gap on the scheduler's clock
 * ({@code taskwire.worker.heartbeat.gap}, seconds) and the last ping round trip
 * ({@code taskwire.worker.ping.rtt}, seconds); and {@code taskwire.workers.joined} /
 * {@code .left} counters (the latter by {@code reason}: closed, silent, faulty).
 */
@Component
class WorkerMetrics {

    private final MeterRegistry meters;
    private final Map<String, List<Meter>> perWorker = new ConcurrentHashMap<>();

    WorkerMetrics(MeterRegistry meters, WorkerRegistry registry) {
        this.meters = meters;
        for (WorkerStatus status : WorkerStatus.values()) {
            Gauge.builder("taskwire.workers", () -> registry.all().stream().filter(s -> s.status() == status).count())
                    .description("Workers in the registry by status (OFFLINE: left recently)")
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
    }

    @EventListener
    void on(WorkerJoined joined) {
        WorkerSession session = joined.session();
        meters.counter("taskwire.workers.joined").increment();
        perWorker.put(session.id(), List.of(
                Gauge.builder("taskwire.worker.heartbeat.gap",
                                () -> WorkerRegistry.silenceNanos(session, System.nanoTime()) / 1e9)
                        .description("Seconds since the worker's last heartbeat, on the scheduler's clock")
                        .baseUnit("seconds").tag("worker", session.id()).register(meters),
                Gauge.builder("taskwire.worker.ping.rtt",
                                () -> session.roundTripMicros() < 0 ? Double.NaN : session.roundTripMicros() / 1e6)
                        .description("Round trip of the last answered worker.ping")
                        .baseUnit("seconds").tag("worker", session.id()).register(meters)));
    }

    @EventListener
    void on(WorkerLeft left) {
        String reason = left.reason().startsWith("no heartbeat") ? "silent"
                : left.reason().startsWith("faulty replies") ? "faulty" : "closed";
        meters.counter("taskwire.workers.left", "reason", reason).increment();
        List<Meter> gone = perWorker.remove(left.session().id());
        if (gone != null) {
            gone.forEach(meters::remove);
        }
    }
}
