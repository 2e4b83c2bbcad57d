package io.taskwire.transport;

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
    // the meters of each route tag, by mode and side: a call finds them with one lookup, builds no
    // tags and no key, and sorts nothing once its series exist
    private final Map<String, RouteMeters[]> meters = new ConcurrentHashMap<>();

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

    /**
     * @return the meters of a route (tagged {@code unknown} when the protocol does not define it),
     *         mode and side; their series are registered when first used
     */
    public RouteMeters meters(String route, Interaction mode, Side side) {
        String routeTag = tagOf(route);
        RouteMeters[] ofRoute = meters.computeIfAbsent(routeTag, tag -> newMeters(tag));
        return ofRoute[mode.ordinal() * Side.values().length + side.ordinal()];
    }

    private RouteMeters[] newMeters(String routeTag) {
        RouteMeters[] ofRoute = new RouteMeters[Interaction.values().length * Side.values().length];
        for (Interaction mode : Interaction.values()) {
            for (Side side : Side.values()) {
                ofRoute[mode.ordinal() * Side.values().length + side.ordinal()] =
                        new RouteMeters(registry, routeTag, tagOf(mode), side.tag());
            }
        }
        return ofRoute;
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
