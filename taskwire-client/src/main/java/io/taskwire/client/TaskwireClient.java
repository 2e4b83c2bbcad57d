package io.taskwire.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.rsocket.plugins.InterceptorRegistry;
import io.taskwire.client.error.TaskTimeoutException;
import io.taskwire.client.error.TaskwireException;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Flux;

/**
 * A client of a Taskwire scheduler over RSocket: submit tasks in the three interaction modes,
 * read, abort and watch them, and manage schedules. One multiplexed connection, to whichever of the given schedulers
 * leads; safe to share between threads. Close it when done.
 *
 * <pre>{@code
 * try (TaskwireClient taskwire = TaskwireClient.builder()
 *         .addresses("scheduler-a:7000", "scheduler-b:7000")
 *         .token(System.getenv("TASKWIRE_CLIENT_TOKEN"))
 *         .build()) {
 *     TaskView done = taskwire.sendSync(TaskRequest.of("resize-image", new Resize("cat.png", 640)),
 *             Duration.ofMinutes(1));                                      // sync: the final view
 *     taskwire.sendAsync(TaskRequest.of("report", query))                  // async: a future of it
 *             .thenAccept(view -> log.info("report {}", view.status()));
 *     taskwire.sendOneway(TaskRequest.of("audit", event));                 // one-way: fire and forget
 * }
 * }</pre>
 *
 * <p>The blocking methods must not be called on a Reactor or Netty thread; {@link #reactive()} has
 * the same calls as {@code Mono} and {@code Flux}.
 */
public final class TaskwireClient implements AutoCloseable {

    private final SchedulerConnections connections;
    private final ReactiveTaskwireClient reactive;
    private final ObjectMapper mapper;

    private TaskwireClient(ClientSettings settings) {
        this.connections = new SchedulerConnections(settings);
        this.reactive = new ReactiveTaskwireClient(connections, settings);
        this.mapper = settings.mapper();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sync: submits the task and waits for its final state. A takeover of the scheduler while the
     * task runs does not fail the call.
     *
     * @param timeout how long to wait, submission included
     * @return the final view: {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code ABORTED}
     * @throws TaskTimeoutException naming the task, which goes on, when it runs longer
     * @throws TaskwireException of the scheduler's error code when it refuses the task
     */
    public TaskView sendSync(TaskRequest request, Duration timeout) {
        return reactive.submitAndAwait(request, timeout).block();
    }

    /**
     * Async: submits the task; the future completes at the task's final state, or exceptionally
     * with a {@link TaskwireException}. See {@link #submitAsync} for a future of the acceptance.
     */
    public CompletableFuture<TaskView> sendAsync(TaskRequest request, Duration timeout) {
        return reactive.submitAndAwait(request, timeout).toFuture();
    }

    /** Async, as {@link #sendAsync(TaskRequest, Duration)}, waiting for the final state however long the task takes. */
    public CompletableFuture<TaskView> sendAsync(TaskRequest request) {
        return reactive.submitAndAwait(request, null).toFuture();
    }

    /**
     * Async with a callback: {@link TaskCallback#onAccepted} once the scheduler stored the task,
     * then {@link TaskCallback#onFinished} at its final state, or {@link TaskCallback#onFailure}.
     */
    public void sendAsync(TaskRequest request, TaskCallback callback) {
        Objects.requireNonNull(callback, "callback");
        reactive.submit(request)
                .doOnNext(callback::onAccepted)
                .flatMap(accepted -> reactive.untilFinal(accepted, null))
                .subscribe(callback::onFinished, callback::onFailure);
    }

    /**
     * One-way: fire and forget. Returns once the request is written to the connection; the
     * scheduler counts it and logs a refusal, and nothing comes back.
     */
    public void sendOneway(TaskRequest request) {
        reactive.submitOneway(request).block();
    }

    /** Submits the task and returns once the scheduler stored it: the view as accepted. */
    public TaskView submit(TaskRequest request) {
        return reactive.submit(request).block();
    }

    /** Submits the task; the future completes once the scheduler stored it, with the view as accepted. */
    public CompletableFuture<TaskView> submitAsync(TaskRequest request) {
        return reactive.submit(request).toFuture();
    }

    /** Submits the tasks in one request; the views as accepted, in their order. */
    public List<TaskView> submitBatch(List<TaskRequest> requests) {
        return reactive.submitBatch(requests).block();
    }

    /** @return the task's view now; {@link io.taskwire.client.error.NotFoundException} for an unknown id */
    public TaskView get(String taskId) {
        return reactive.get(taskId).block();
    }

    /** Aborts the task: its running attempt is cancelled and it ends {@code ABORTED}, unless it ended before. */
    public TaskView abort(String taskId) {
        return reactive.abort(taskId).block();
    }

    /** Waits for the final state of a task submitted earlier, following the leader through takeovers. */
    public TaskView awaitFinal(String taskId, Duration timeout) {
        return reactive.awaitFinal(taskId, timeout).block();
    }

    /** The task's current state, then each change until a final one; see {@link ReactiveTaskwireClient#watch}. */
    public Flux<TaskEvent> watch(String taskId) {
        return reactive.watch(taskId);
    }

    /** Every change of every task of a type, from now on; see {@link ReactiveTaskwireClient#watchType}. */
    public Flux<TaskEvent> watchType(String type) {
        return reactive.watchType(type);
    }

    /**
     * Creates the schedule, or replaces the one of the same id, and returns once it is stored.
     *
     * @return its view with its next fire times
     * @throws io.taskwire.client.error.InvalidRequestException naming the field of a bad spec (an unparsable {@code cron}, say)
     * @throws io.taskwire.client.error.UnknownTaskTypeException when no worker handles the task type
     */
    public ScheduleView putSchedule(ScheduleSpec spec) {
        return reactive.putSchedule(spec).block();
    }

    /**
     * Creates the schedule, or replaces the one of the same id, and returns once it is stored; the
     * task's payload is written by the client's mapper.
     *
     * @return its view with its next fire times
     * @throws io.taskwire.client.error.InvalidRequestException naming the field of a bad request, before
     *         anything is sent, or of a bad spec the scheduler found (an unparsable {@code cron}, say)
     * @throws io.taskwire.client.error.UnknownTaskTypeException when no worker handles the task type
     */
    public ScheduleView putSchedule(ScheduleRequest request) {
        return reactive.putSchedule(request).block();
    }

    /**
     * @return the schedule's view now, with its next fire times and the last tasks it fired;
     *         {@link io.taskwire.client.error.NotFoundException} for an unknown id
     */
    public ScheduleView getSchedule(String scheduleId) {
        return reactive.getSchedule(scheduleId).block();
    }

    /** @return at most {@code limit} schedules (1 to 1000), the first by id, without their next fire times and recent tasks */
    public List<ScheduleView> listSchedules(int limit) {
        return reactive.listSchedules(limit).block();
    }

    /** Pauses the schedule, which fires nothing until resumed; the view as paused. */
    public ScheduleView pauseSchedule(String scheduleId) {
        return reactive.pauseSchedule(scheduleId).block();
    }

    /** Resumes the schedule, which first fires the times it missed as its misfire policy says; the view as resumed. */
    public ScheduleView resumeSchedule(String scheduleId) {
        return reactive.resumeSchedule(scheduleId).block();
    }

    /**
     * Fires the schedule now, paused or not. Not sent again after a lost connection, since each
     * trigger fires a task; see {@link ReactiveTaskwireClient#triggerSchedule}.
     *
     * @return the view of the task fired
     */
    public TaskView triggerSchedule(String scheduleId) {
        return reactive.triggerSchedule(scheduleId).block();
    }

    /**
     * Deletes the schedule; the tasks it fired stay. After a lost connection it is sent again, so
     * {@link io.taskwire.client.error.NotFoundException} may mean a lost try deleted it.
     *
     * @return its last view
     */
    public ScheduleView deleteSchedule(String scheduleId) {
        return reactive.deleteSchedule(scheduleId).block();
    }

    /**
     * @param view a view of a {@code SUCCEEDED} task
     * @param type what its output is
     * @return the output read with the client's mapper; null when the task has none
     * @throws IllegalArgumentException when the output is not a {@code type}
     */
    public <T> T output(TaskView view, Class<T> type) {
        JsonNode output = view.output();
        if (output == null || output.isNull()) {
            return null;
        }
        try {
            return mapper.treeToValue(output, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the output of task " + view.taskId() + " is not a "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** @return the same calls as {@code Mono} and {@code Flux} */
    public ReactiveTaskwireClient reactive() {
        return reactive;
    }

    /** @return the scheduler the client is connected to now, if any */
    public Optional<SchedulerAddress> connectedTo() {
        return Optional.ofNullable(connections.connectedTo());
    }

    /** Closes the connection; calls in flight and later ones fail {@code UNAVAILABLE}. */
    @Override
    public void close() {
        connections.close();
    }

    /** Builds a {@link TaskwireClient}; only an address is required. */
    public static final class Builder {

        private final List<SchedulerAddress> addresses = new ArrayList<>();
        private String token;
        private String clientId = "taskwire-client";
        private ObjectMapper mapper = Json.mapper();
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration firstBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private Duration keepAliveInterval = Duration.ofSeconds(2);
        private Duration keepAliveMaxLifetime = Duration.ofSeconds(6);
        private SslContext sslContext;
        private Path trustCertificates;
        private Path certificateChain;
        private Path privateKey;
        private Consumer<InterceptorRegistry> interceptors = registry -> { };
        private RequestSigner signer;

        private Builder() {
        }

        /** Adds schedulers, each {@code host:port} ({@code [ipv6]:port}; the port defaults to 7000), tried in turn. */
        public Builder addresses(String... addresses) {
            for (String address : addresses) {
                this.addresses.add(SchedulerAddress.parse(address));
            }
            return this;
        }

        /** Adds schedulers, tried in turn. */
        public Builder addresses(List<SchedulerAddress> addresses) {
            this.addresses.addAll(addresses);
            return this;
        }

        /** The client token the schedulers accept ({@code taskwire.security.client-tokens}). */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The name schedulers log for this client; {@code taskwire-client} unless set. */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Writes payloads and reads outputs; a mapper of the protocol's settings unless set. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** How long one call may take, retries at the next scheduler included; 30 s unless set. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** How long one dial may take; 5 s unless set. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** The wait before the first retry, doubling up to {@code max}; 100 ms and 1 s unless set. */
        public Builder backoff(Duration first, Duration max) {
            this.firstBackoff = positive(first, "first backoff");
            this.maxBackoff = positive(max, "max backoff");
            return this;
        }

        /** KEEPALIVE every {@code interval}; dead after {@code maxLifetime} without an answer; 2 s and 6 s unless set. */
        public Builder keepAlive(Duration interval, Duration maxLifetime) {
            this.keepAliveInterval = positive(interval, "keepalive interval");
            this.keepAliveMaxLifetime = positive(maxLifetime, "keepalive max lifetime");
            return this;
        }

        /** rsocket-java interceptors for each connection: the Spring Boot starter adds its metrics here. */
        public Builder interceptors(Consumer<InterceptorRegistry> interceptors) {
            this.interceptors = Objects.requireNonNull(interceptors, "interceptors");
            return this;
        }

        /** Signs the SETUP and every request (PROTOCOL.md section 1.1), where the schedulers require signatures. */
        public Builder signer(RequestSigner signer) {
            this.signer = signer;
            return this;
        }

        /** TLS with this context (trust, and a client certificate for mTLS). */
        public Builder tls(SslContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /** TLS, trusting the certificates in this PEM file. */
        public Builder trustCertificates(Path pem) {
            this.trustCertificates = pem;
            return this;
        }

        /** mTLS: the client's certificate chain and PKCS#8 private key, both PEM. */
        public Builder clientCertificate(Path certificateChain, Path privateKey) {
            this.certificateChain = certificateChain;
            this.privateKey = privateKey;
            return this;
        }

        /**
         * @return the client; it connects at its first call
         * @throws IllegalArgumentException naming what is missing or wrong
         */
        public TaskwireClient build() {
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("a Taskwire client needs at least one scheduler address");
            }
            if (clientId == null || clientId.isBlank() || clientId.length() > Protocol.MAX_ID_LENGTH) {
                throw new IllegalArgumentException("clientId must be 1 to " + Protocol.MAX_ID_LENGTH + " characters");
            }
            long intervalMs = keepAliveInterval.toMillis();
            long lifetimeMs = keepAliveMaxLifetime.toMillis();
            if (intervalMs < Protocol.MIN_KEEPALIVE_INTERVAL_MS || intervalMs > Protocol.MAX_KEEPALIVE_INTERVAL_MS
                    || lifetimeMs < Protocol.MIN_KEEPALIVE_LIFETIME_MS || lifetimeMs > Protocol.MAX_KEEPALIVE_LIFETIME_MS) {
                throw new IllegalArgumentException("keepalive must be an interval in [1 s, 60 s] and a max lifetime "
                        + "in [3 s, 300 s], got " + intervalMs + " ms and " + lifetimeMs + " ms");
            }
            return new TaskwireClient(new ClientSettings(List.copyOf(addresses), token, clientId, mapper,
                    requestTimeout, connectTimeout, firstBackoff, maxBackoff, keepAliveInterval, keepAliveMaxLifetime,
                    ssl(), interceptors, signer));
        }

        private SslContext ssl() {
            if (sslContext != null || (trustCertificates == null && certificateChain == null)) {
                return sslContext;
            }
            try {
                SslContextBuilder builder = SslContextBuilder.forClient();
                if (trustCertificates != null) {
                    builder.trustManager(trustCertificates.toFile());
                }
                if (certificateChain != null) {
                    builder.keyManager(certificateChain.toFile(), privateKey.toFile());
                }
                return builder.build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read the TLS certificates or key: " + e.getMessage(), e);
            }
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
