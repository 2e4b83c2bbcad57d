package io.taskwire.scheduler.console.overview;

import io.taskwire.scheduler.console.Broadcast;
import io.taskwire.scheduler.console.ConsoleProperties;
import io.taskwire.scheduler.console.overview.OverviewSample.Rates;
import io.taskwire.scheduler.console.overview.OverviewSample.Totals;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The overview's one source: takes a sample of the scheduler every sample period, keeps the
 * history's worth of them in a ring and publishes each once, for every open overview to forward.
 * It owns that lifecycle: it starts with the application and, when the application stops, ends the
 * open streams before the web server's graceful shutdown waits for open requests (a higher phase
 * stops first).
 */
@Component
@EnableConfigurationProperties(ConsoleProperties.class)
public class OverviewSampler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OverviewSampler.class);

    private final OverviewMeters meters;
    private final Clock clock;
    private final Duration period;
    private final SampleRing<OverviewSample> ring;
    private final Broadcast<OverviewSample> broadcast = new Broadcast<>();
    private Scheduler thread;
    private Disposable ticks;
    /** The totals at the last sample; the sampler's thread's alone once started. */
    private Totals last;

    OverviewSampler(OverviewMeters meters, ConsoleProperties properties, Clock clock) {
        this.meters = meters;
        this.clock = clock;
        this.period = properties.samplePeriod();
        this.ring = new SampleRing<>(properties.samples());
        this.last = meters.totals();
    }

    @Override
    public synchronized void start() {
        thread = Schedulers.newSingle("taskwire-console-sampler", true);
        ticks = Flux.interval(period, period, thread).subscribe(tick -> takeSample());
    }

    @Override
    public synchronized void stop() {
        ticks.dispose();
        thread.dispose();
        broadcast.close();
    }

    @Override
    public synchronized boolean isRunning() {
        return ticks != null && !ticks.isDisposed();
    }

    /** @return the history as a stream sends it on connecting */
    OverviewHistory history() {
        return OverviewHistory.of(period, ring.capacity(), ring.toList());
    }

    /** @return each sample from now on; a stream that has not sent the last one yet gets only the newest */
    public Flux<OverviewSample> samples() {
        return broadcast.updates();
    }

    /** Runs on the sampler's thread, every sample period. */
    void takeSample() {
        try {
            Totals totals = meters.totals();
            Rates rates = totals.since(last, period.toMillis() / 1000.0);
            last = totals;
            OverviewSample sample = meters.sample(clock.millis(), rates);
            ring.add(sample);
            broadcast.publish(sample);
        } catch (RuntimeException e) {
            log.warn("Could not take the console's overview sample; trying again in {} ms", period.toMillis(), e);
        }
    }
}
