package io.taskwire.worker.connection;

import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.core.Resume;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.plugins.RSocketInterceptor;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.RunningAttempt;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.messages.WorkerHello;
import io.taskwire.transport.MeteredRSocket;
import io.taskwire.transport.RSocketMetrics;
import io.taskwire.transport.RoutePolicy;
import io.taskwire.transport.SubscriptionLifecycle;
import io.taskwire.transport.TransportProperties;
import io.taskwire.transport.signing.MessageSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.messaging.rsocket.RSocketStrategies;
import org.springframework.messaging.rsocket.annotation.support.RSocketMessageHandler;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The worker's one connection to the scheduler. Dials at start-up, sends the {@link WorkerHello} in
 * SETUP, counts itself registered when {@code worker.config} arrives, and dials again with
 * exponential backoff and jitter whenever the connection fails or closes, so the worker may start
 * before the scheduler and survives its restarts. The scheduler's calls come in over the same
 * connection; the worker opens no port for them.
 */
@Component
public class SchedulerConnection extends SubscriptionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SchedulerConnection.class);

    /** Connects and disconnects may race on different threads: retry the emission briefly. */
    private static final Sinks.EmitFailureHandler EMIT = Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100));
    private static final MimeType COMPOSITE = MimeTypeUtils.parseMimeType(Protocol.METADATA_MIME_TYPE);

    private final RSocketStrategies strategies;
    private final RSocketMessageHandler handler;
    private final ConnectionProperties properties;
    private final TransportProperties transport;
    private final WorkerHello hello;
    private final RSocketMetrics metrics;
    private final Retry retry;
    private final Clock clock;
    private final SchedulerTransport transportFactory;
    private final MessageSigner signer;
    private final ObjectProvider<ResponderLayer> layer;
    private final ObjectProvider<AttemptsInHand> inHand;
    private final Sinks.Many<Optional<Connected>> state = Sinks.many().replay().latest();
    private volatile Sinks.One<WorkerConfig> registration;
    private volatile Connected current;
    /**
     * Which of the scheduler addresses to try first: the one registered with last, or, once its
     * connection closed, the one after it (that scheduler is gone, or no longer leads; it comes
     * last in the next round).
     */
    private volatile int preferred;

    SchedulerConnection(RSocketStrategies strategies, RSocketMessageHandler handler, ConnectionProperties properties,
                        TransportProperties transport, WorkerHello hello, RetryRegistry retries,
                        RSocketMetrics metrics, Clock clock, SslBundles sslBundles,
                        ObjectProvider<MessageSigner> signing, ObjectProvider<ResponderLayer> layer,
                        ObjectProvider<AttemptsInHand> inHand) {
        this.inHand = inHand;
        this.signer = signing.getIfAvailable();
        this.layer = layer;
        this.metrics = metrics;
        this.strategies = strategies;
        this.handler = handler;
        this.properties = properties;
        this.transport = transport;
        this.hello = hello;
        this.retry = retries.retry("connection", "connection");
        this.clock = clock;
        this.transportFactory = new SchedulerTransport(properties.scheduler(), sslBundles);
        if (properties.token() == null || properties.token().isBlank()) {
            log.warn("No worker token (taskwire.worker.token, env TASKWIRE_WORKER_TOKEN): only a scheduler in"
                    + " insecure development mode will accept this worker");
        }
        state.tryEmitNext(Optional.empty());
    }

    /** @return the registered connection now, if there is one */
    public Optional<Connected> current() {
        return Optional.ofNullable(current);
    }

    /** @return the registered connection each time it changes; empty while disconnected */
    public Flux<Optional<Connected>> changes() {
        return state.asFlux();
    }

    /** Called with each {@code worker.config}: the first one on a connection registers it. */
    void configured(WorkerConfig config) {
        Sinks.One<WorkerConfig> pending = registration;
        if (pending != null) {
            pending.tryEmitValue(config);
        }
    }

    @Override
    protected Disposable subscribe() {
        // dial until registered, backing off per resilience4j.retry.configs.connection; once a
        // registered connection closes, dial again at once with a fresh backoff
        return Mono.defer(this::register)
                .transformDeferred(RetryOperator.of(retry))
                .flatMap(this::untilClosed)
                .repeat()
                .subscribe();
    }

    @Override
    public void stop() {
        super.stop();
        Connected connected = current;
        if (connected != null) {
            connected.requester().rsocket().dispose();
        }
    }

    /** Stops after {@code DrainOnShutdown}, which needs the connection to deliver the last results. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1000;
    }

    /**
     * Tries each scheduler address once, from the {@link #preferred} one: the first that accepts
     * this worker wins, so a standby's {@code UNAVAILABLE} or a refused connection moves on to the
     * next address at once. Fails when none accepted it; the backoff then comes before the next round.
     */
    private Mono<Connected> register() {
        List<ConnectionProperties.Scheduler.Address> addresses = properties.scheduler().addressList();
        int first = Math.min(preferred, addresses.size() - 1);
        Mono<Connected> round = registerAt(addresses, first);
        for (int i = 1; i < addresses.size(); i++) {
            int next = (first + i) % addresses.size();
            round = round.onErrorResume(failure -> registerAt(addresses, next));
        }
        return round;
    }

    /** Dials one address and completes once the scheduler there accepted this worker; fails otherwise. */
    private Mono<Connected> registerAt(List<ConnectionProperties.Scheduler.Address> addresses, int index) {
        ConnectionProperties.Scheduler.Address address = addresses.get(index);
        return Mono.defer(() -> {
            Sinks.One<WorkerConfig> registered = Sinks.one();
            registration = registered;
            return dial(address).doOnError(failure -> logFailure(address, failure)).flatMap(rsocket -> Mono.firstWithSignal(
                            registered.asMono().timeout(properties.registrationTimeout()),
                            rsocket.onClose().then(Mono.error(() -> new IllegalStateException("closed before registration"))))
                    .map(config -> {
                        preferred = index;
                        return connected(RSocketRequester.wrap(rsocket, MimeTypeUtils.APPLICATION_JSON, COMPOSITE,
                                strategies), config, address);
                    })
                    .doOnError(failure -> {
                        rsocket.dispose();
                        logFailure(address, failure);
                    }));
        });
    }

    /** Waits for a registered connection to close, and marks the worker disconnected. */
    private Mono<Void> untilClosed(Connected connected) {
        return connected.requester().rsocket().onClose()
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    preferred = (preferred + 1) % properties.scheduler().addressList().size();
                    disconnected();
                    if (isRunning()) {
                        log.info("Connection to the scheduler closed; dialing again");
                    }
                });
    }

    private Connected connected(RSocketRequester requester, WorkerConfig config,
                                ConnectionProperties.Scheduler.Address address) {
        Connected connected = new Connected(requester, config, clock.instant(), address.toString());
        current = connected;
        state.emitNext(Optional.of(connected), EMIT);
        log.info("Registered with the scheduler at {}{} as {} ({} slots, heartbeat every {} ms)", address,
                transportFactory.secure() ? " over TLS" : "", properties.id(), config.slots(),
                config.heartbeatIntervalMs());
        return connected;
    }

    private void disconnected() {
        if (current != null) {
            current = null;
            state.emitNext(Optional.empty(), EMIT);
        }
    }

    /** Resumption when turned on: the transport reconnects underneath the same session while it lasts. */
    private Resume resume() {
        if (!transport.resume().enabled()) {
            return null;
        }
        return new Resume()
                .sessionDuration(transport.resume().sessionDuration())
                .retry(reactor.util.retry.Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
                        .maxBackoff(Duration.ofSeconds(1)));
    }

    private void logFailure(ConnectionProperties.Scheduler.Address address, Throwable failure) {
        if (failure instanceof java.util.concurrent.TimeoutException) {
            log.warn("The scheduler accepted the SETUP but sent no worker.config within {}",
                    properties.registrationTimeout());
            return;
        }
        if (failure instanceof RejectedSetupException rejected) {
            ProtocolException why = ProtocolException.fromWire(rejected.getMessage());
            if (why.code() == ErrorCode.UNAVAILABLE) {
                log.info("The scheduler at {} does not take workers now: {}", address, why.detail());
            } else {
                log.error("The scheduler at {} refused this worker: {}", address, why.detail());
            }
        } else {
            log.info("Not connected to the scheduler at {}: {}", address, failure.getMessage());
        }
    }

    /**
     * The hello with the attempts in hand, the route and the token, signed when signing is on; made
     * anew for each dial.
     */
    private Payload setupPayload() throws java.io.IOException {
        List<RunningAttempt> attempts = inHand.orderedStream()
                .flatMap(holder -> holder.attemptsInHand().stream()).distinct().toList();
        ByteBuf data = Unpooled.wrappedBuffer(Json.mapper().writeValueAsBytes(hello.withRunning(attempts)));
        ByteBuf metadata = RouteMetadata.encodeSetup(Routes.WORKER_CONNECT, properties.token());
        if (signer != null) {
            ByteBuf unsigned = metadata;
            metadata = signer.withSignature(unsigned, Routes.WORKER_CONNECT, data);
            unsigned.release();
        }
        return ByteBufPayload.create(data, metadata);
    }

    /** Spring's handlers, behind the {@link ResponderLayer} when there is one. */
    private SocketAcceptor acceptor() {
        SocketAcceptor handlers = handler.responder();
        ResponderLayer inFront = layer.getIfAvailable();
        if (inFront == null) {
            return handlers;
        }
        return (setup, toScheduler) -> handlers.accept(setup, toScheduler)
                .map(responder -> inFront.wrap(responder, toScheduler));
    }

    private Mono<RSocket> dial(ConnectionProperties.Scheduler.Address address) {
        RoutePolicy policy = new RoutePolicy("scheduler", Routes.WORKER_ROUTES, Set.of(), transport.maxPayloadBytes());
        return RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .setupPayload(Mono.fromCallable(this::setupPayload))
                .acceptor(acceptor())
                .interceptors(registry -> registry
                        .forRequester((RSocketInterceptor) requester -> MeteredRSocket.requester(requester, metrics, signer))
                        .forResponder((RSocketInterceptor) responder ->
                                MeteredRSocket.guardedResponder(responder, policy, metrics, signer)))
                .keepAlive(properties.keepaliveInterval(), properties.keepaliveMaxLifetime())
                .resume(resume())
                .fragment(Protocol.FRAGMENT_SIZE_BYTES)
                // requests are read straight from the frames, not copied first; every layer releases them
                .payloadDecoder(PayloadDecoder.ZERO_COPY)
                .connect(transportFactory.create(address));
    }

}
