package io.taskwire.transport;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * A periodic summary of the communication metrics in the log, one line per route, mode and side
 * (count, failures, mean latency, bytes each way, all since start). Off unless
 * {@code taskwire.metrics.report-interval} is set.
 */
class CommunicationReport extends SubscriptionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommunicationReport.class);

    private final MeterRegistry registry;
    private final Duration interval;

    CommunicationReport(MeterRegistry registry, Duration interval) {
        this.registry = registry;
        this.interval = interval;
    }

    @Override
    protected Disposable subscribe() {
        return Flux.interval(interval, interval).subscribe(tick -> report());
    }



    void report() {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Double> totalMillis = new TreeMap<>();
        for (Timer timer : registry.find("taskwire.rsocket.requests").timers()) {
            String key = key(timer.getId().getTag("route"), timer.getId().getTag("mode"), timer.getId().getTag("side"));
            long[] entry = counts.computeIfAbsent(key, k -> new long[4]);
            entry[0] += timer.count();
            if (!"success".equals(timer.getId().getTag("outcome"))) {
                entry[1] += timer.count();
            }
            totalMillis.merge(key, timer.totalTime(TimeUnit.MILLISECONDS), Double::sum);
        }
        for (DistributionSummary bytes : registry.find("taskwire.rsocket.payload").summaries()) {
            String key = key(bytes.getId().getTag("route"), bytes.getId().getTag("mode"), bytes.getId().getTag("side"));
            long[] entry = counts.computeIfAbsent(key, k -> new long[4]);
            entry["sent".equals(bytes.getId().getTag("direction")) ? 2 : 3] += (long) bytes.totalAmount();
        }
        counts.forEach((key, entry) -> log.info("{}: {} calls, {} failed, mean {} ms, {} B sent, {} B received", key,
                entry[0], entry[1], entry[0] == 0 ? 0 : Math.round(totalMillis.getOrDefault(key, 0.0) / entry[0] * 100) / 100.0,
                entry[2], entry[3]));
    }

    private static String key(String route, String mode, String side) {
        return route + " " + mode + " " + side;
    }
}
