package io.taskwire.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.RSocketErrorException;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.client.SchedulerConnections.ClientClosedException;
import io.taskwire.client.SchedulerConnections.Connection;
import io.taskwire.client.error.InternalErrorException;
import io.taskwire.client.error.InvalidRequestException;
import io.taskwire.client.error.TaskTimeoutException;
import io.taskwire.client.error.TaskwireException;
import io.taskwire.client.error.UnavailableException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.InvalidMessageException;
import io.taskwire.messages.Json;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.ScheduleQuery;
import io.taskwire.messages.ScheduleRef;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * The client's reactive face: every call of {@link TaskwireClient} as a {@link Mono} or a
 * {@link Flux}, for applications on WebFlux or Reactor. Nothing is sent until subscription.
 *
 * <p>Every call follows the leader. A call that could not reach a leading scheduler (the dial
 * failed, the scheduler is a standby, or it answered {@code UNAVAILABLE}) is tried again at the
 * next address, with backoff, until the client's request timeout. A call whose connection was lost
 * after the request went out is sent again only when that is safe: reads, aborts, watches,
 * submissions that carry an idempotency key, and every schedule call but {@link #triggerSchedule}.
 * Any other error of the scheduler ends the call with the {@link TaskwireException} of its code.
 */
public final class ReactiveTaskwireClient {

    private static final ObjectReader TASK_VIEWS = Json.mapper().readerForListOf(TaskView.class);
    private static final ObjectReader SCHEDULE_VIEWS = Json.mapper().readerForListOf(ScheduleView.class);

    private final SchedulerConnections connections;
    private final ClientSettings settings;
    /** Backoff between tries of what failed in a way that may be tried again, the same for every call. */
    private final RetryBackoffSpec retries;

    ReactiveTaskwireClient(SchedulerConnections connections, ClientSettings settings) {
        this.connections = connections;
        this.settings = settings;
        this.retries = Retry.backoff(Long.MAX_VALUE, settings.firstBackoff())
                .maxBackoff(settings.maxBackoff())
                .filter(failure -> failure instanceof Retried);
    }

    /** {@code task.submit}: completes once the scheduler has stored the task, with its view as accepted. */
    public Mono<TaskView> submit(TaskRequest request) {
        return Mono.defer(() -> {
            TaskSpec spec = request.toSpec(settings.mapper());
            byte[] data = json(spec);
            return call("submit a " + spec.type() + " task", spec.idempotencyKey() != null, settings.requestTimeout(),
                    rsocket -> rsocket.requestResponse(payload(Routes.TASK_SUBMIT, data))
                            .map(reply -> read(reply, TaskView.class)));
        });
    }

    /**
     * Submits the task and completes at its final state. A takeover while the task runs does not
     * fail the call: it waits for the task again at the new leader, by its id.
     *
     * @param timeout how long to wait for the final state, submission included; null for as long as it takes
     * @return the final view; {@link TaskTimeoutException} naming the task when it runs longer
     */
    public Mono<TaskView> submitAndAwait(TaskRequest request, Duration timeout) {
        return Mono.defer(() -> {
            long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
            return submit(request).flatMap(accepted -> untilFinal(accepted, timeout == null ? null
                    : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
        });
    }

    /** @return the view as it is when final already, else the task's final view ({@link #awaitFinal}) */
    Mono<TaskView> untilFinal(TaskView accepted, Duration timeout) {
        return accepted.status().isFinal() ? Mono.just(accepted) : awaitFinal(accepted.taskId(), timeout);
    }

    /**
     * {@code task.submit.oneway}: completes once the request is written to the connection. Nothing
     * says whether the scheduler stored it; a one-way submission is not sent twice.
     */
    public Mono<Void> submitOneway(TaskRequest request) {
        return Mono.defer(() -> {
            TaskSpec spec = request.toSpec(settings.mapper());
            byte[] data = json(spec);
            return call("send a one-way " + spec.type() + " task", false, settings.requestTimeout(),
                    rsocket -> rsocket.fireAndForget(payload(Routes.TASK_SUBMIT_ONEWAY, data)));
        });
    }

    /** {@code task.submit.batch}: the tasks in one request, stored together; the views in their order. */
    public Mono<List<TaskView>> submitBatch(List<TaskRequest> requests) {
        return Mono.defer(() -> {
            if (requests.isEmpty()) {
                throw new InvalidRequestException("a batch needs at least one task", "tasks", null);
            }
            List<TaskSpec> specs = requests.stream().map(request -> request.toSpec(settings.mapper())).toList();
            byte[] data = json(specs);
            boolean resendable = specs.stream().allMatch(spec -> spec.idempotencyKey() != null);
            return call("submit a batch of " + specs.size() + " tasks", resendable, settings.requestTimeout(),
                    rsocket -> rsocket.requestResponse(payload(Routes.TASK_SUBMIT_BATCH, data))
                            .map(reply -> list(reply, TASK_VIEWS, TaskView.class)));
        });
    }

    /** {@code task.get}: the task's view now; {@code NOT_FOUND} for an id the scheduler does not hold. */
    public Mono<TaskView> get(String taskId) {
        return byId("read task ", Routes.TASK_GET, taskId);
    }

    /** {@code task.abort}: cancels the running attempt; the view as {@code ABORTED}, or as it ended before. */
    public Mono<TaskView> abort(String taskId) {
        return byId("abort task ", Routes.TASK_ABORT, taskId);
    }

    /**
     * Waits for a task's final state, following the leader through takeovers.
     *
     * @param timeout how long to wait; null for as long as it takes
     * @return the final view; {@link TaskTimeoutException} naming the task when it runs longer
     */
    public Mono<TaskView> awaitFinal(String taskId, Duration timeout) {
        Mono<TaskView> finished = watch(taskId).filter(event -> event.status().isFinal()).next()
                .then(Mono.defer(() -> get(taskId)));
        return timeout == null ? finished : finished.timeout(timeout, Mono.error(() -> new TaskTimeoutException("task "
                + taskId + " did not reach a final state within " + timeout.toMillis() + " ms; it goes on", taskId, null)));
    }

    /**
     * {@code task.watch} of one task: its current state first, then every change, until a final
     * state. Through a takeover the watch follows the leader and starts again from the current
     * state there; a state already delivered is not delivered twice.
     */
    public Flux<TaskEvent> watch(String taskId) {
        return Flux.defer(() -> {
            byte[] data = json(new WatchFilter(checked(() -> new TaskRef(taskId)).taskId(), null));
            AtomicReference<TaskEvent> last = new AtomicReference<>();
            return stream(data)
                    .filter(event -> {
                        TaskEvent before = last.get();
                        if (before != null && before.status() == event.status() && before.attempt() == event.attempt()) {
                            return false;
                        }
                        last.set(event);
                        return true;
                    })
                    .takeUntil(event -> event.status().isFinal());
        });
    }

    /**
     * {@code task.watch} of a task type: every change of every task of the type from now on. Through
     * a takeover the watch follows the leader; changes made while it moved are not replayed.
     */
    public Flux<TaskEvent> watchType(String type) {
        return Flux.defer(() -> stream(json(new WatchFilter(null, Objects.requireNonNull(type, "type")))));
    }

    /**
     * {@code schedule.put}: creates the schedule, or replaces the one of the same id (which keeps its
     * count, its last task and its creation time); completes once the scheduler has stored it.
     * Sent again after a lost connection: putting the same spec twice leaves the same schedule.
     *
     * @param spec the schedule; its record already refused what breaks a rule of the protocol, and
     *             the scheduler checks the rest ({@code cron}, the task type)
     * @return its view with its next fire times; {@code INVALID_REQUEST} naming the field of a bad
     *         spec, {@code UNKNOWN_TASK_TYPE} for a task type no worker handles
     */
    public Mono<ScheduleView> putSchedule(ScheduleSpec spec) {
        return Mono.defer(() -> {
            byte[] data = json(Objects.requireNonNull(spec, "spec"));
            return call("put schedule " + spec.scheduleId(), true, settings.requestTimeout(),
                    rsocket -> rsocket.requestResponse(payload(Routes.SCHEDULE_PUT, data))
                            .map(reply -> read(reply, ScheduleView.class)));
        });
    }

    /**
     * {@code schedule.put} of a request whose task payload the client's mapper writes; as
     * {@link #putSchedule(ScheduleSpec)}. A request that breaks a rule of the protocol fails with
     * {@link io.taskwire.client.error.InvalidRequestException} naming the field, before anything is sent.
     */
    public Mono<ScheduleView> putSchedule(ScheduleRequest request) {
        return Mono.defer(() -> putSchedule(Objects.requireNonNull(request, "request").toSpec(settings.mapper())));
    }

    /**
     * {@code schedule.get}: the schedule's view now, with its next fire times and the last tasks it
     * fired, each as it is now; {@code NOT_FOUND} for an id the scheduler does not hold.
     */
    public Mono<ScheduleView> getSchedule(String scheduleId) {
        return bySchedule("read schedule ", Routes.SCHEDULE_GET, scheduleId, true, ScheduleView.class);
    }

    /**
     * {@code schedule.list}: the schedules by id, without their next fire times and recent tasks
     * ({@link #getSchedule} has those).
     *
     * @param limit at most this many, 1 to {@value ScheduleQuery#MAX_LIMIT}: the first by id
     */
    public Mono<List<ScheduleView>> listSchedules(int limit) {
        return Mono.defer(() -> {
            byte[] data = json(checked(() -> new ScheduleQuery(limit)));
            return call("list schedules", true, settings.requestTimeout(),
                    rsocket -> rsocket.requestResponse(payload(Routes.SCHEDULE_LIST, data))
                            .map(reply -> list(reply, SCHEDULE_VIEWS, ScheduleView.class)));
        });
    }

    /**
     * {@code schedule.pause}: the schedule fires nothing until resumed; the view as paused. Pausing a
     * paused schedule changes nothing, so the call is sent again after a lost connection.
     */
    public Mono<ScheduleView> pauseSchedule(String scheduleId) {
        return bySchedule("pause schedule ", Routes.SCHEDULE_PAUSE, scheduleId, true, ScheduleView.class);
    }

    /**
     * {@code schedule.resume}: the schedule fires again, first the fire times it missed as its
     * misfire policy says; the view as resumed. Resuming a running schedule changes nothing, so the
     * call is sent again after a lost connection.
     */
    public Mono<ScheduleView> resumeSchedule(String scheduleId) {
        return bySchedule("resume schedule ", Routes.SCHEDULE_RESUME, scheduleId, true, ScheduleView.class);
    }

    /**
     * {@code schedule.trigger}: fires the schedule now, paused or not, leaving its fire times as they
     * were. Each trigger fires a new task, so a trigger whose connection was lost after it went out is
     * not sent again: it fails with {@link UnavailableException}, and the schedule's
     * {@code lastTaskId} ({@link #getSchedule}) tells whether it fired.
     *
     * @return the view of the task fired, which carries the {@code scheduleId}
     */
    public Mono<TaskView> triggerSchedule(String scheduleId) {
        return bySchedule("trigger schedule ", Routes.SCHEDULE_TRIGGER, scheduleId, false, TaskView.class);
    }

    /**
     * {@code schedule.delete}: the schedule fires no more; the tasks it fired stay. Sent again after a
     * lost connection, as the schedule ends up gone either way; so {@code NOT_FOUND} may also mean
     * that a try whose answer was lost deleted it.
     *
     * @return the schedule's last view
     */
    public Mono<ScheduleView> deleteSchedule(String scheduleId) {
        return bySchedule("delete schedule ", Routes.SCHEDULE_DELETE, scheduleId, true, ScheduleView.class);
    }

    private Mono<TaskView> byId(String what, String route, String taskId) {
        return Mono.defer(() -> {
            byte[] data = json(checked(() -> new TaskRef(taskId)));
            return call(what + taskId, true, settings.requestTimeout(),
                    rsocket -> rsocket.requestResponse(payload(route, data)).map(reply -> read(reply, TaskView.class)));
        });
    }

    private <T> Mono<T> bySchedule(String what, String route, String scheduleId, boolean resendable, Class<T> answer) {
        return Mono.defer(() -> {
            byte[] data = json(checked(() -> new ScheduleRef(scheduleId)));
            return call(what + scheduleId, resendable, settings.requestTimeout(),
                    rsocket -> rsocket.requestResponse(payload(route, data)).map(reply -> read(reply, answer)));
        });
    }

    /**
     * One request-response or fire-and-forget, tried again at the leader while that is safe.
     *
     * @param what the call, as error messages name it
     * @param resendable whether the request may be sent again after its connection was lost
     */
    private <T> Mono<T> call(String what, boolean resendable, Duration within, Function<RSocket, Mono<T>> exchange) {
        AtomicReference<Throwable> lastRetried = new AtomicReference<>();
        Mono<T> once = connections.connection()
                .onErrorMap(this::unreached)
                .flatMap(connection -> exchange.apply(connection.rsocket())
                        .onErrorMap(failure -> judged(connection, failure, what, resendable)));
        // the first try carries no retry machinery, as most calls need none; after a failure that may
        // be tried again, the next try goes at once (to the next address, say), then with backoff
        return once
                .onErrorResume(Retried.class, first -> {
                    lastRetried.set(first.getCause());
                    return once.retryWhen(retries.doBeforeRetry(signal -> lastRetried.set(signal.failure().getCause())));
                })
                .timeout(within)
                .onErrorMap(TimeoutException.class, late -> gaveUp(what, within, lastRetried.get()))
                .onErrorMap(Retried.class, Throwable::getCause);
    }

    /** A request-stream, subscribed again at the leader whenever its connection or its scheduler is lost. */
    private Flux<TaskEvent> stream(byte[] data) {
        return connections.connection()
                .onErrorMap(this::unreached)
                .flatMapMany(connection -> connection.rsocket().requestStream(payload(Routes.TASK_WATCH, data))
                        .onErrorMap(failure -> judged(connection, failure, "watch", true)))
                .map(event -> read(event, TaskEvent.class))
                .retryWhen(retries.transientErrors(true))
                .onErrorMap(Retried.class, Throwable::getCause);
    }

    private Throwable unreached(Throwable failure) {
        if (failure instanceof ClientClosedException) {
            return new UnavailableException(failure.getMessage(), failure);
        }
        return new Retried(new UnavailableException("cannot connect: " + failure, failure));
    }

    /** What a failed exchange means: a refusal to hand to the caller, or a reason to try again. */
    private Throwable judged(Connection connection, Throwable failure, String what, boolean resendable) {
        if (failure instanceof TaskwireException known) {
            return known;
        }
        if (failure instanceof RejectedSetupException rejected) {
            connections.drop(connection, true);
            ProtocolException error = ProtocolException.fromWire(rejected.getMessage());
            TaskwireException refused = TaskwireException.of(error.code(), "the scheduler at " + connection.address()
                    + " refused the connection: " + error.detail(), rejected);
            // a standby: no request on that connection was served; the next address may lead
            return error.code() == ErrorCode.UNAVAILABLE ? new Retried(refused) : refused;
        }
        if (failure instanceof ApplicationErrorException answered) {
            ProtocolException error = ProtocolException.fromWire(answered.getMessage());
            TaskwireException refused = TaskwireException.of(error.code(), error.detail(), answered);
            // UNAVAILABLE: it stored nothing (a standby since, or its store is out of reach)
            return error.code() == ErrorCode.UNAVAILABLE ? new Retried(refused) : refused;
        }
        if (failure instanceof RSocketErrorException other && !isConnectionError(other)) {
            return new InternalErrorException("the scheduler at " + connection.address() + " answered "
                    + other.getClass().getSimpleName() + ": " + other.getMessage(), other);
        }
        connections.drop(connection, false);
        if (resendable) {
            return new Retried(new UnavailableException("lost the connection to the scheduler at "
                    + connection.address() + ": " + failure, failure));
        }
        return new UnavailableException("lost the connection to the scheduler at " + connection.address()
                + " after the request to " + what + " went out, so it may have been served (" + failure
                + "); only reads and idempotent calls, such as a submission with an idempotency key,"
                + " are sent again by themselves", failure);
    }

    private static boolean isConnectionError(RSocketErrorException error) {
        return error instanceof io.rsocket.exceptions.ConnectionErrorException
                || error instanceof io.rsocket.exceptions.ConnectionCloseException;
    }

    private static UnavailableException gaveUp(String what, Duration within, Throwable last) {
        return new UnavailableException("could not " + what + " within " + within.toMillis() + " ms"
                + (last == null ? "" : "; last: " + last.getMessage()), last);
    }

    /**
     * @param message builds a message whose record checks its fields
     * @throws InvalidRequestException naming the field the record refuses (a task id that is not an
     *         id, say), before anything is sent
     */
    private static <T> T checked(Supplier<T> message) {
        try {
            return message.get();
        } catch (InvalidMessageException invalid) {
            throw new InvalidRequestException(invalid.getMessage(), invalid.field(), invalid);
        }
    }

    private static byte[] json(Object message) {
        try {
            return Json.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("cannot be written as JSON: " + e.getOriginalMessage(), null, e);
        }
    }

    private Payload payload(String route, byte[] data) {
        ByteBuf buffer = Unpooled.wrappedBuffer(data);
        return ByteBufPayload.create(buffer, settings.metadata(RouteMetadata.encode(route), route, buffer));
    }

    private static <T> T read(Payload reply, Class<T> type) {
        try {
            return Json.read(ByteBufUtil.getBytes(reply.data()), type);
        } catch (ProtocolException unreadable) {
            throw new InternalErrorException("the scheduler's answer is not a " + type.getSimpleName() + ": "
                    + unreadable.detail(), unreadable);
        } finally {
            reply.release();
        }
    }

    private static <T> List<T> list(Payload reply, ObjectReader reader, Class<T> type) {
        try {
            return reader.readValue(ByteBufUtil.getBytes(reply.data()));
        } catch (IOException unreadable) {
            throw new InternalErrorException("the scheduler's answer is not a list of " + type.getSimpleName() + ": "
                    + unreadable.getMessage(), unreadable);
        } finally {
            reply.release();
        }
    }

    /** A failure that the call tries again; its cause is what the caller gets when time runs out. */
    private static final class Retried extends RuntimeException {
        Retried(TaskwireException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
