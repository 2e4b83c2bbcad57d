package io.taskwire.transport;

import io.netty.buffer.ByteBuf;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Interaction;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stands in front of a responder and answers, before any handler runs, everything the protocol
 * defines an error for: an unknown route ({@code NOT_FOUND}), a route of the other role
 * ({@code FORBIDDEN}), the wrong interaction, missing data or JSON {@code null} ({@code INVALID_REQUEST}) and data over
 * the limit ({@code PAYLOAD_TOO_LARGE}). Failures of the handlers behind it leave as the protocol's
 * JSON errors, for fire-and-forget too: {@link MeteredRSocket}, in front of it, counts and drops them.
 */
public class RouteGuard implements RoutedRSocket {

    private final RSocket delegate;
    private final RoutePolicy policy;
    /** The delegate itself when it takes the route read here; null otherwise. */
    private final RoutedRSocket routed;

    public RouteGuard(RSocket delegate, RoutePolicy policy) {
        this.delegate = delegate;
        this.policy = policy;
        this.routed = RoutedRSocket.of(delegate);
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        return requestResponse(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload, String route) {
        ProtocolException refusal = check(route, Interaction.REQUEST_RESPONSE, payload);
        if (refusal != null) {
            payload.release();
            return Mono.error(new ApplicationErrorException(refusal.getMessage()));
        }
        Mono<Payload> reply = routed != null ? routed.requestResponse(payload, route) : delegate.requestResponse(payload);
        return reply.onErrorMap(e -> ProtocolErrors.toApplicationError(e, what(route)));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        return requestStream(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload, String route) {
        ProtocolException refusal = check(route, Interaction.REQUEST_STREAM, payload);
        if (refusal != null) {
            payload.release();
            return Flux.error(new ApplicationErrorException(refusal.getMessage()));
        }
        Flux<Payload> items = routed != null ? routed.requestStream(payload, route) : delegate.requestStream(payload);
        return items.onErrorMap(e -> ProtocolErrors.toApplicationError(e, what(route)));
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        return fireAndForget(payload, RouteMetadata.route(payload.metadata()));
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload, String route) {
        ProtocolException refusal = check(route, Interaction.FIRE_AND_FORGET, payload);
        if (refusal != null) {
            payload.release();
            return Mono.error(new ApplicationErrorException(refusal.getMessage()));
        }
        Mono<Void> done = routed != null ? routed.fireAndForget(payload, route) : delegate.fireAndForget(payload);
        return done.onErrorMap(e -> ProtocolErrors.toApplicationError(e, what(route)));
    }

    @Override
    public Flux<Payload> requestChannel(Publisher<Payload> payloads) {
        return Flux.error(new ApplicationErrorException(new ProtocolException(ErrorCode.NOT_FOUND,
                "protocol version 1 defines no request-channel route").getMessage()));
    }

    @Override
    public Mono<Void> metadataPush(Payload payload) {
        payload.release();
        return Mono.empty();
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }

    @Override
    public boolean isDisposed() {
        return delegate.isDisposed();
    }

    @Override
    public Mono<Void> onClose() {
        return delegate.onClose();
    }

    private ProtocolException check(String route, Interaction interaction, Payload payload) {
        if (route == null) {
            return new ProtocolException(ErrorCode.INVALID_REQUEST,
                    "the request carries no route in its composite metadata");
        }
        if (policy.otherRole().contains(route)) {
            return new ProtocolException(ErrorCode.FORBIDDEN,
                    "route " + route + " is not open to a " + policy.peer() + " connection");
        }
        if (!policy.allowed().contains(route)) {
            return new ProtocolException(ErrorCode.NOT_FOUND, "no route " + route + " here");
        }
        Interaction expected = Routes.interaction(route).orElse(interaction);
        if (expected != interaction) {
            return new ProtocolException(ErrorCode.INVALID_REQUEST,
                    "route " + route + " is " + name(expected) + ", not " + name(interaction));
        }
        int size = payload.data().readableBytes();
        if (size == 0) {
            return new ProtocolException(ErrorCode.INVALID_REQUEST, "the data of " + route + " is missing");
        }
        if (size > policy.maxPayloadBytes()) {
            return new ProtocolException(ErrorCode.PAYLOAD_TOO_LARGE, "the data of " + route + " is " + size
                    + " bytes, over the limit of " + policy.maxPayloadBytes() + " bytes");
        }
        if (isJsonNull(payload.data())) {
            return new ProtocolException(ErrorCode.INVALID_REQUEST, "the data of " + route
                    + " is JSON null; it must be the route's message (PROTOCOL.md section 4)");
        }
        return null;
    }

    /** @return whether the bytes are the JSON literal {@code null}, with whitespace around it at most */
    static boolean isJsonNull(ByteBuf data) {
        int end = data.writerIndex();
        if (end - data.readerIndex() > 64) {
            return false;
        }
        int i = data.readerIndex();
        while (i < end && isJsonWhitespace(data.getByte(i))) {
            i++;
        }
        if (end - i < 4 || data.getByte(i) != 'n' || data.getByte(i + 1) != 'u' || data.getByte(i + 2) != 'l'
                || data.getByte(i + 3) != 'l') {
            return false;
        }
        for (i += 4; i < end; i++) {
            if (!isJsonWhitespace(data.getByte(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static String what(String route) {
        return "data of " + route;
    }

    private static String name(Interaction interaction) {
        return interaction.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
