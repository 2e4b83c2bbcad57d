package io.taskwire.transport;

import io.micrometer.core.instrument.Timer;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.RSocketProxy;
import io.taskwire.messages.Interaction;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.transport.RSocketMetrics.Side;
import io.taskwire.transport.signing.MessageSigner;
import io.taskwire.transport.signing.SignedRSocket;
import io.taskwire.transport.signing.VerifiedRSocket;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Measures every interaction through one side of a connection ({@link RSocketMetrics}). On the
 * responder side it is the outermost layer, so refusals by the {@link RouteGuard} are counted with
 * their codes; there a failed fire-and-forget is counted, logged and dropped, never closing the
 * connection.
 */
public class MeteredRSocket extends RSocketProxy {

    private final RSocketMetrics metrics;
    private final Side side;
    /** The delegate itself when it takes the route read here ({@link RoutedRSocket}); null otherwise. */
    private final RoutedRSocket routed;

    public MeteredRSocket(RSocket delegate, RSocketMetrics metrics, Side side) {
        super(delegate);
        this.metrics = metrics;
        this.side = side;
        this.routed = RoutedRSocket.of(delegate);
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        String route = RouteMetadata.route(payload.metadata());
        RouteMeters meters = metrics.meters(route, Interaction.REQUEST_RESPONSE, side);
        meters.bytes(side == Side.REQUESTER, payload.data().readableBytes());
        return Mono.defer(() -> {
            Timer.Sample sample = metrics.start();
            return (routed != null ? routed.requestResponse(payload, route) : super.requestResponse(payload))
                    .doOnNext(reply -> meters.bytes(side == Side.RESPONDER, reply.data().readableBytes()))
                    .doOnSuccess(reply -> meters.end(sample, "success"))
                    .doOnError(e -> meters.end(sample, RSocketMetrics.outcome(e)))
                    .doOnCancel(() -> meters.end(sample, "cancelled"));
        });
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        String route = RouteMetadata.route(payload.metadata());
        RouteMeters meters = metrics.meters(route, Interaction.REQUEST_STREAM, side);
        meters.bytes(side == Side.REQUESTER, payload.data().readableBytes());
        return Flux.defer(() -> {
            Timer.Sample sample = metrics.start();
            return (routed != null ? routed.requestStream(payload, route) : super.requestStream(payload))
                    .doOnNext(item -> meters.bytes(side == Side.RESPONDER, item.data().readableBytes()))
                    .doOnComplete(() -> meters.end(sample, "success"))
                    .doOnError(e -> meters.end(sample, RSocketMetrics.outcome(e)))
                    .doOnCancel(() -> meters.end(sample, "cancelled"));
        });
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        String route = RouteMetadata.route(payload.metadata());
        RouteMeters meters = metrics.meters(route, Interaction.FIRE_AND_FORGET, side);
        meters.bytes(side == Side.REQUESTER, payload.data().readableBytes());
        return Mono.defer(() -> {
            Timer.Sample sample = metrics.start();
            Mono<Void> sent = (routed != null ? routed.fireAndForget(payload, route) : super.fireAndForget(payload))
                    .doOnSuccess(done -> meters.end(sample, "success"))
                    .doOnError(e -> meters.end(sample, RSocketMetrics.outcome(e)));
            return side == Side.REQUESTER ? sent : sent.onErrorResume(e -> {
                ProtocolException error = ProtocolErrors.fromPeer(e);
                String known = route != null && Routes.interaction(route).isPresent() ? route : "an unknown route";
                PeerErrorLog.SHARED.warn("Fire-and-forget " + known + " failed with " + error.code(), error.detail());
                return Mono.empty();
            });
        });
    }

    /**
     * The responder chain every connection gets: measured, then (with signatures on) verified, then
     * guarded, then the handlers.
     *
     * @param handlers Spring's responder
     * @param policy the routes the peer may call
     * @param metrics where to count
     * @param signer checks each request's signature; null when signing is off
     * @return the responder to register
     */
    public static RSocket guardedResponder(RSocket handlers, RoutePolicy policy, RSocketMetrics metrics,
                                           MessageSigner signer) {
        RSocket guarded = new RouteGuard(handlers, policy);
        return new MeteredRSocket(signer == null ? guarded : new VerifiedRSocket(guarded, signer), metrics, Side.RESPONDER);
    }

    /**
     * @param requester the connection's requester
     * @param metrics where to count
     * @param signer signs each request; null when signing is off
     * @return the requester to use: measured and, with signing on, signed
     */
    public static RSocket requester(RSocket requester, RSocketMetrics metrics, MessageSigner signer) {
        return new MeteredRSocket(signer == null ? requester : new SignedRSocket(requester, signer), metrics, Side.REQUESTER);
    }
}
