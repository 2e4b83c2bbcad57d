package io.taskwire.transport;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one route, mode and side ({@link RSocketMetrics}). A series is registered when it is
 * first used, so a direction or an outcome that never happened shows no series; two threads racing to
 * register one get the same meter from the registry.
 */
public final class RouteMeters {

    private static final String SUCCESS = "success";

    private final MeterRegistry registry;
    private final String route;
    private final String mode;
    private final String side;
    private final Map<String, Timer> failures = new ConcurrentHashMap<>();
    private volatile DistributionSummary sent;
    private volatile DistributionSummary received;
    private volatile Timer succeeded;

    RouteMeters(MeterRegistry registry, String route, String mode, String side) {
        this.registry = registry;
        this.route = route;
        this.mode = mode;
        this.side = side;
    }

    /** Counts data bytes of one payload, sent or received. */
    public void bytes(boolean isSent, int bytes) {
        DistributionSummary summary = isSent ? sent : received;
        if (summary == null) {
            summary = summary(isSent);
            if (isSent) {
                sent = summary;
            } else {
                received = summary;
            }
        }
        summary.record(bytes);
    }

    /** Ends timing one interaction with its outcome. */
    public void end(Timer.Sample sample, String outcome) {
        sample.stop(timer(outcome));
    }

    private Timer timer(String outcome) {
        if (!SUCCESS.equals(outcome)) {
            return failures.computeIfAbsent(outcome, this::newTimer);
        }
        Timer timer = succeeded;
        if (timer == null) {
            timer = newTimer(SUCCESS);
            succeeded = timer;
        }
        return timer;
    }

    private Timer newTimer(String outcome) {
        return Timer.builder("taskwire.rsocket.requests")
                .description("RSocket interactions: latency by route, mode, side and outcome")
                .tags("route", route, "mode", mode, "side", side, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    private DistributionSummary summary(boolean isSent) {
        return DistributionSummary.builder("taskwire.rsocket.payload")
                .description("RSocket payload data by route, mode, side and direction")
                .baseUnit("bytes")
                .tags("route", route, "mode", mode, "side", side, "direction", isSent ? "sent" : "received")
                .register(registry);
    }
}
