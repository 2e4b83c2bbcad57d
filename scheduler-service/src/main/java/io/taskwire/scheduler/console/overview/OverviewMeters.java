package io.taskwire.scheduler.console.overview;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.taskwire.scheduler.console.overview.OverviewSample.Leader;
import io.taskwire.scheduler.console.overview.OverviewSample.Other;
import io.taskwire.scheduler.console.overview.OverviewSample.Rates;
import io.taskwire.scheduler.console.overview.OverviewSample.Totals;
import io.taskwire.scheduler.leadership.Leadership;
import io.taskwire.scheduler.leadership.Schedulers;
import io.taskwire.scheduler.registry.WorkerRegistry;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Reads what the overview shows from the scheduler's meters, each summed across its tags: the task
 * counters, the queue and in-flight gauges, the workers by status, and the percentiles that
 * {@code taskwire.tasks.time.to.finish.all} keeps over about the last minute. Two things have no
 * meter and are asked directly: workers with a slot in use, and who leads.
 */
@Component
class OverviewMeters {

    /** Final states drawn as failures; {@code aborted} (a client's doing) is drawn as neither. */
    private static final Set<String> FAILED = Set.of("failed", "timed_out");

    private final MeterRegistry meters;
    private final WorkerRegistry workers;
    private final Leadership leadership;
    private final Schedulers schedulers;

    OverviewMeters(MeterRegistry meters, WorkerRegistry workers, Leadership leadership, Schedulers schedulers) {
        this.meters = meters;
        this.workers = workers;
        this.leadership = leadership;
        this.schedulers = schedulers;
    }

    Totals totals() {
        return new Totals(total(meters.find("taskwire.tasks.submitted").counters()),
                total(meters.find("taskwire.tasks.completed").tag("status", "succeeded").counters()),
                total(meters.find("taskwire.tasks.completed").tag("status", FAILED::contains).counters()));
    }

    OverviewSample sample(long at, Rates rates) {
        Timer timeToFinish = meters.find("taskwire.tasks.time.to.finish.all").timer();
        ValueAtPercentile[] percentiles = timeToFinish == null ? new ValueAtPercentile[0]
                : timeToFinish.takeSnapshot().percentileValues();
        return new OverviewSample(at, rates, count(meters.find("taskwire.tasks.queued").gauges()),
                count(meters.find("taskwire.tasks.in.flight").gauges()), millis(percentiles, 0.5), millis(percentiles, 0.99),
                count(meters.find("taskwire.workers").tag("status", status -> !"offline".equals(status)).gauges()),
                workers.live().stream().filter(session -> session.inFlight() > 0).count(),
                leadership.state().name(), leader(), schedulers.others().stream()
                        .map(other -> new Other(other.address(), other.role())).toList());
    }

    private Leader leader() {
        OptionalLong epoch = leadership.leaderEpoch();
        return leadership.leaderAddress()
                .map(address -> new Leader(address, epoch.isPresent() ? epoch.getAsLong() : null)).orElse(null);
    }

    private static double total(Collection<Counter> counters) {
        return counters.stream().mapToDouble(Counter::count).sum();
    }

    /** Gauges here count things: whole numbers (a gauge whose object is gone reads NaN, summed as 0). */
    private static long count(Collection<Gauge> gauges) {
        return (long) gauges.stream().mapToDouble(Gauge::value).filter(value -> !Double.isNaN(value)).sum();
    }

    /** @return the percentile in milliseconds; null when no task finished within the timer's window (Micrometer says 0) */
    private static Double millis(ValueAtPercentile[] percentiles, double percentile) {
        for (ValueAtPercentile value : percentiles) {
            if (value.percentile() == percentile && value.value() > 0) {
                return value.value(TimeUnit.MILLISECONDS);
            }
        }
        return null;
    }
}
