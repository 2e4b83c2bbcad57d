package io.taskwire.transport;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rsocket.RSocketErrorException;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.exceptions.ConnectionCloseException;
import io.rsocket.exceptions.ConnectionErrorException;
import io.taskwire.messages.Interaction;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Communication metrics, the same on both sides of every connection: for each route, interaction
 * mode, side (requester or responder) and outcome, a timer of latency with a percentile histogram,
 * and the data bytes sent and received.
 *
 * <ul>
 *   <li>{@code taskwire.rsocket.requests} (timer): tags {@code route}, {@code mode}, {@code side},
 *       {@code outcome} ({@code success}, an error code such as {@code NOT_FOUND}, {@code timeout},
 *       {@code closed}, {@code cancelled})</li>
 *   <li>{@code taskwire.rsocket.payload} (bytes): tags {@code route}, {@code mode}, {@code side},
 *       {@code direction} ({@code sent}, {@code received})</li>
 * </ul>
 * A route the protocol does not define is tagged {@code unknown}, so bad input cannot grow the
 * number of series.
 */
public class RSocketMetrics {

    /** Which end of an interaction a measurement is taken at. */
    public enum Side {
        /** The end that sent the request. */
        REQUESTER,
        /** The end that answered it. */
        RESPONDER;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    // meters by their tags, so that the hot path builds no tags and sorts nothing once a series exists
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();

    public RSocketMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Starts timing one interaction. */
    public Timer.Sample start() {
        return Timer.start(registry);
    }

    /** Ends timing one interaction with its outcome. */
    public void end(Timer.Sample sample, String route, Interaction mode, Side side, String outcome) {
        String routeTag = tagOf(route);
        sample.stop(timers.computeIfAbsent(routeTag + '|' + mode + '|' + side + '|' + outcome, key ->
                Timer.builder("taskwire.rsocket.requests")
                        .description("RSocket interactions: latency by route, mode, side and outcome")
                        .tags("route", routeTag, "mode", tagOf(mode), "side", side.tag(), "outcome", outcome)
                        .publishPercentileHistogram()
                        .register(registry)));
    }

    /** Counts data bytes of one payload. */
    public void bytes(String route, Interaction mode, Side side, boolean sent, int bytes) {
        String routeTag = tagOf(route);
        summaries.computeIfAbsent(routeTag + '|' + mode + '|' + side + '|' + sent, key ->
                DistributionSummary.builder("taskwire.rsocket.payload")
                        .description("RSocket payload data by route, mode, side and direction")
                        .baseUnit("bytes")
                        .tags("route", routeTag, "mode", tagOf(mode), "side", side.tag(),
                                "direction", sent ? "sent" : "received")
                        .register(registry))
                .record(bytes);
    }

    /** @return the outcome tag of a failed interaction */
    public static String outcome(Throwable failure) {
        if (failure instanceof ProtocolException protocol) {
            return protocol.code().name();
        }
        if (failure instanceof ApplicationErrorException application) {
            return ProtocolErrors.fromPeer(application).code().name();
        }
        if (failure instanceof TimeoutException) {
            return "timeout";
        }
        if (failure instanceof CancellationException) {
            return "cancelled";
        }
        if (failure instanceof ClosedChannelException || failure instanceof ConnectionErrorException
                || failure instanceof ConnectionCloseException) {
            return "closed";
        }
        if (failure instanceof RSocketErrorException) {
            return "rsocket_error";
        }
        return "INTERNAL";
    }

    static String tagOf(String route) {
        return route != null && Routes.interaction(route).isPresent() ? route : "unknown";
    }

    static String tagOf(Interaction mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
