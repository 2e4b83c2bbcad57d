package io.taskwire.scheduler.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskStatus;
import io.taskwire.scheduler.dispatch.Dispatcher;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import io.taskwire.scheduler.task.TaskObserver;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Task metrics, from the ledger's changes: {@code taskwire.tasks.submitted}, {@code .dispatched}
 * (every attempt), {@code .completed} (by final status), {@code .time.to.start} and
 * {@code .time.to.finish} (from submission), all by {@code type}; {@code .time.to.finish.all}, the
 * same over every type and status, whose p50 and p99 cover about the last minute (percentiles do not
 * add up across tags, so the console reads these); and the gauges {@code taskwire.tasks.queued},
 * {@code .in.flight} and {@code .unfinished}. Re-dispatches are counted by the dispatcher
 * ({@code taskwire.tasks.redispatched}, by {@code reason}).
 */
@Component
class TaskMetrics implements TaskObserver {

    private final MeterRegistry meters;
    private final Map<Key, Meter> byKey = new ConcurrentHashMap<>();
    private final Timer timeToFinishAll;

    TaskMetrics(MeterRegistry meters, ObjectProvider<TaskLedger> ledger, ObjectProvider<Dispatcher> dispatcher,
                WorkerRegistry registry) {
        this.meters = meters;
        Gauge.builder("taskwire.tasks.queued", () -> dispatcher.getObject().queued())
                .description("Tasks waiting for a worker").register(meters);
        Gauge.builder("taskwire.tasks.unfinished", () -> ledger.getObject().unfinished())
                .description("Tasks not yet in a final state").register(meters);
        Gauge.builder("taskwire.tasks.in.flight", () -> registry.live().stream().mapToInt(WorkerSession::inFlight).sum())
                .description("Attempts running on workers").register(meters);
        // the window has six parts, one renewed every 10 s: the percentiles cover the last 50 to 60 s
        timeToFinishAll = Timer.builder("taskwire.tasks.time.to.finish.all")
                .description("From submission to the final state, every type and status; p50 and p99 of about the last minute")
                .publishPercentiles(0.5, 0.99).percentilePrecision(2)
                .distributionStatisticExpiry(Duration.ofMinutes(1)).distributionStatisticBufferLength(6)
                .register(meters);
    }

    @Override
    public void changed(Task task, TaskEvent event) {
        String type = task.type();
        if (event.status() == TaskStatus.PENDING && event.attempt() == 0) {
            counter("taskwire.tasks.submitted", "Tasks accepted", type, null).increment();
        } else if (event.status() == TaskStatus.DISPATCHED) {
            counter("taskwire.tasks.dispatched", "Attempts dispatched to workers", type, null).increment();
            if (event.attempt() == 1) {
                timer("taskwire.tasks.time.to.start", "From submission to the first dispatch", type, null)
                        .record(Duration.between(task.createdAt(), event.at()));
            }
        } else if (event.status().isFinal()) {
            String status = event.status().name().toLowerCase(Locale.ROOT);
            counter("taskwire.tasks.completed", "Tasks that reached a final state", type, status).increment();
            Duration timeToFinish = Duration.between(task.createdAt(), event.at());
            timer("taskwire.tasks.time.to.finish", "From submission to the final state", type, status).record(timeToFinish);
            timeToFinishAll.record(timeToFinish);
        }
    }

    /** Looked up once per name, type and status: building a meter's id for every change of every task costs. */
    private Counter counter(String name, String description, String type, String status) {
        return (Counter) meter(new Key(name, type, status), key -> {
            Counter.Builder builder = Counter.builder(name).description(description).tag("type", type);
            return (status == null ? builder : builder.tag("status", status)).register(meters);
        });
    }

    private Timer timer(String name, String description, String type, String status) {
        return (Timer) meter(new Key(name, type, status), key -> {
            Timer.Builder builder = Timer.builder(name).description(description).tag("type", type)
                    .publishPercentileHistogram();
            return (status == null ? builder : builder.tag("status", status)).register(meters);
        });
    }

    private Meter meter(Key key, Function<Key, Meter> register) {
        Meter meter = byKey.get(key);
        return meter != null ? meter : byKey.computeIfAbsent(key, register);
    }

    /** Task types are bounded (advertised by workers or declared), and so are the keys. */
    private record Key(String name, String type, String status) {
    }
}
