package io.taskwire.scheduler.connection;

import io.micrometer.core.instrument.MeterRegistry;
import io.rsocket.ConnectionSetupPayload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.exceptions.RejectedSetupException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.scheduler.heartbeat.HeartbeatBudget;
import io.taskwire.scheduler.leadership.Leadership;
import io.taskwire.transport.MeteredRSocket;
import io.taskwire.transport.PeerErrorLog;
import io.taskwire.transport.ProtocolErrors;
import io.taskwire.transport.RSocketMetrics;
import io.taskwire.transport.RoutePolicy;
import io.taskwire.transport.signing.MessageSigner;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import reactor.core.publisher.Mono;

/**
 * Checks every SETUP before Spring sees it (Spring would accept a SETUP with an unknown route
 * silently), then lets Spring Security authenticate its token, then puts a route guard for the
 * connection's role, and metrics, in front of its responder (and, for a worker, its heartbeat budget). A refusal is {@code REJECTED_SETUP}
 * carrying the protocol's JSON error: {@code UNAUTHORIZED} for a missing or unknown token,
 * {@code FORBIDDEN} for a token of the other role; {@code UNAVAILABLE}, naming the leader, while this
 * scheduler is a standby (PROTOCOL.md section 7).
 */
class SetupGuard implements SocketAcceptor {

    private final SocketAcceptor delegate;
    private final int maxPayloadBytes;
    private final boolean tokenRequired;
    private final MessageSigner signer;
    private final RSocketMetrics metrics;
    private final MeterRegistry meters;
    private final HeartbeatBudget heartbeats;
    private final Leadership leadership;

    SetupGuard(SocketAcceptor delegate, int maxPayloadBytes, boolean tokenRequired, MessageSigner signer,
               RSocketMetrics metrics, MeterRegistry meters, HeartbeatBudget heartbeats, Leadership leadership) {
        this.leadership = leadership;
        this.heartbeats = heartbeats;
        this.signer = signer;
        this.delegate = delegate;
        this.maxPayloadBytes = maxPayloadBytes;
        this.tokenRequired = tokenRequired;
        this.metrics = metrics;
        this.meters = meters;
    }

    @Override
    public Mono<RSocket> accept(ConnectionSetupPayload setup, RSocket sendingSocket) {
        RoutePolicy policy;
        try {
            policy = check(setup);
        } catch (ProtocolException refusal) {
            PeerErrorLog.SHARED.warn("Refused a SETUP with " + refusal.code(), refusal.detail());
            meters.counter("taskwire.connections.refused", "code", refusal.code().name()).increment();
            return Mono.error(new RejectedSetupException(refusal.getMessage()));
        }
        return delegate.accept(setup, sendingSocket)
                .doOnNext(accepted -> counted(policy.peer(), sendingSocket))
                .map(responder -> MeteredRSocket.guardedResponder(policy.peer().equals("worker")
                        ? heartbeats.gate(responder, sendingSocket) : responder, policy, metrics, signer))
                .onErrorMap(failure -> {
                    RejectedSetupException rejected = ProtocolErrors.toRejectedSetup(securityRefusal(failure, policy));
                    ProtocolException why = ProtocolErrors.fromPeer(rejected);
                    meters.counter("taskwire.connections.refused", "code", why.code().name()).increment();
                    PeerErrorLog.SHARED.warn("Refused a " + policy.peer() + " SETUP with " + why.code(), why.detail());
                    return rejected;
                });
    }

    /** Counts an accepted connection ({@code taskwire.connections.opened}) and, later, its close. */
    private void counted(String role, RSocket connection) {
        meters.counter("taskwire.connections.opened", "role", role).increment();
        connection.onClose()
                .doFinally(signal -> meters.counter("taskwire.connections.closed", "role", role).increment())
                .subscribe(null, e -> { });
    }

    private RoutePolicy check(ConnectionSetupPayload setup) {
        if (!Protocol.isJson(setup.dataMimeType())) {
            throw invalid("data MIME type must be " + Protocol.DATA_MIME_TYPE + ", was " + setup.dataMimeType());
        }
        if (!Protocol.METADATA_MIME_TYPE.equals(setup.metadataMimeType())) {
            throw invalid("metadata MIME type must be " + Protocol.METADATA_MIME_TYPE + ", was "
                    + setup.metadataMimeType());
        }
        long interval = setup.keepAliveInterval();
        if (interval < Protocol.MIN_KEEPALIVE_INTERVAL_MS || interval > Protocol.MAX_KEEPALIVE_INTERVAL_MS) {
            throw invalid("keepalive interval must lie in [1 s, 60 s], was " + interval + " ms");
        }
        long lifetime = setup.keepAliveMaxLifetime();
        if (lifetime < Protocol.MIN_KEEPALIVE_LIFETIME_MS || lifetime > Protocol.MAX_KEEPALIVE_LIFETIME_MS) {
            throw invalid("keepalive max lifetime must lie in [3 s, 300 s], was " + lifetime + " ms");
        }
        String route = RouteMetadata.route(setup.metadata());
        if (route == null || !Routes.SETUP_ROUTES.contains(route)) {
            throw invalid("SETUP route must be " + Routes.WORKER_CONNECT + " or " + Routes.CLIENT_CONNECT
                    + ", was " + (route == null ? "missing" : route));
        }
        if (setup.data().readableBytes() > maxPayloadBytes) {
            throw new ProtocolException(ErrorCode.PAYLOAD_TOO_LARGE, "SETUP data is " + setup.data().readableBytes()
                    + " bytes, over the limit of " + maxPayloadBytes + " bytes");
        }
        if (!setup.data().isReadable()) {
            throw invalid("SETUP data is missing: " + route + " takes a "
                    + (route.equals(Routes.WORKER_CONNECT) ? "WorkerHello" : "ClientHello"));
        }
        if (tokenRequired && !RouteMetadata.hasBearerToken(setup.metadata())) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the SETUP carries no bearer token: put the "
                    + (route.equals(Routes.WORKER_CONNECT) ? "worker" : "client")
                    + " token in its composite metadata as message/x.rsocket.authentication.v0 (bearer)");
        }
        if (signer != null) {
            signer.verify(route, setup.data(), setup.metadata());
        }
        if (!leadership.leads()) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, leadership.standbyRefusal());
        }
        return route.equals(Routes.WORKER_CONNECT)
                ? new RoutePolicy("worker", Routes.SCHEDULER_WORKER_ROUTES, Routes.SCHEDULER_CLIENT_ROUTES, maxPayloadBytes)
                : new RoutePolicy("client", Routes.SCHEDULER_CLIENT_ROUTES, Routes.SCHEDULER_WORKER_ROUTES, maxPayloadBytes);
    }

    /** Spring Security's refusals, in the protocol's words; anything else passes unchanged. */
    private static Throwable securityRefusal(Throwable failure, RoutePolicy policy) {
        if (failure instanceof AuthenticationException) {
            return new ProtocolException(ErrorCode.UNAUTHORIZED, failure.getMessage() == null
                    ? "the bearer token is not one this scheduler accepts" : failure.getMessage());
        }
        if (failure instanceof AccessDeniedException) {
            return new ProtocolException(ErrorCode.FORBIDDEN, "this token may not open a " + policy.peer()
                    + " connection: " + policy.peer() + "s and " + (policy.peer().equals("worker") ? "client" : "worker")
                    + "s hold different tokens");
        }
        return failure;
    }

    private static ProtocolException invalid(String detail) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, detail);
    }
}
