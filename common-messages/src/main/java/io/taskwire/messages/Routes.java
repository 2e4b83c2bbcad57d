package io.taskwire.messages;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every route of PROTOCOL.md section 3, and which side may call which.
 *
 * <p>Use these constants both in {@code @MessageMapping} and in {@code requester.route(...)}; a route
 * name is never written out twice.
 */
public final class Routes {

    /** SETUP route of a worker; data: {@link WorkerHello}. */
    public static final String WORKER_CONNECT = "worker.connect";
    /** Fire-and-forget, worker to scheduler: {@link WorkerHeartbeat}. */
    public static final String WORKER_HEARTBEAT = "worker.heartbeat";
    /** Request-response, worker to scheduler: {@link DrainRequest} to {@link DrainReply}. */
    public static final String WORKER_DRAIN = "worker.drain";
    /** Request-response, scheduler to worker: {@link Ping} to {@link Pong}. */
    public static final String WORKER_PING = "worker.ping";
    /** Fire-and-forget, scheduler to worker: {@link WorkerConfig}; also tells the worker it is registered. */
    public static final String WORKER_CONFIG = "worker.config";
    /** Request-response, scheduler to worker: {@link TaskAssignment} to {@link TaskResult} when the task ends. */
    public static final String TASK_EXECUTE = "task.execute";
    /** Request-response, scheduler to worker: {@link TaskBatch} to {@link BatchReceipt}. */
    public static final String TASK_EXECUTE_BATCH = "task.execute.batch";
    /** Fire-and-forget, scheduler to worker: {@link TaskCancel}. */
    public static final String TASK_CANCEL = "task.cancel";
    /** Fire-and-forget, worker to scheduler: {@link TaskProgress}. */
    public static final String TASK_PROGRESS = "task.progress";
    /** Request-response, worker to scheduler: {@link TaskResult} to {@link ResultAck}; idempotent. */
    public static final String TASK_RESULT = "task.result";
    /** Request-response, worker to scheduler: a list of {@link TaskResult} to a list of {@link ResultAck}. */
    public static final String TASK_RESULT_BATCH = "task.result.batch";

    /** SETUP route of a client; data: {@link ClientHello}. */
    public static final String CLIENT_CONNECT = "client.connect";
    /** Request-response, client to scheduler: {@link TaskSpec} to {@link TaskView} once accepted. */
    public static final String TASK_SUBMIT = "task.submit";
    /** Request-response, client to scheduler: {@link TaskSpec} to a final {@link TaskView}, bounded by {@code awaitMs}. */
    public static final String TASK_SUBMIT_AWAIT = "task.submit.await";
    /** Fire-and-forget, client to scheduler: {@link TaskSpec}. */
    public static final String TASK_SUBMIT_ONEWAY = "task.submit.oneway";
    /** Request-response, client to scheduler: a list of {@link TaskSpec} to a list of {@link TaskView}. */
    public static final String TASK_SUBMIT_BATCH = "task.submit.batch";
    /** Request-response, client to scheduler: {@link TaskRef} to {@link TaskView}. */
    public static final String TASK_GET = "task.get";
    /** Request-response, client to scheduler: {@link TaskRef} to {@link TaskView}. */
    public static final String TASK_ABORT = "task.abort";
    /** Request-stream, client to scheduler: {@link WatchFilter} to a stream of {@link TaskEvent}. */
    public static final String TASK_WATCH = "task.watch";

    /** Request-response, client to scheduler: {@link ScheduleSpec} to {@link ScheduleView}; creates or replaces. */
    public static final String SCHEDULE_PUT = "schedule.put";
    /** Request-response, client to scheduler: {@link ScheduleRef} to {@link ScheduleView}. */
    public static final String SCHEDULE_GET = "schedule.get";
    /** Request-response, client to scheduler: {@link ScheduleRef} to the last {@link ScheduleView}. */
    public static final String SCHEDULE_DELETE = "schedule.delete";
    /** Request-response, client to scheduler: {@link ScheduleQuery} to a list of {@link ScheduleView}. */
    public static final String SCHEDULE_LIST = "schedule.list";
    /** Request-response, client to scheduler: {@link ScheduleRef} to {@link ScheduleView}. */
    public static final String SCHEDULE_PAUSE = "schedule.pause";
    /** Request-response, client to scheduler: {@link ScheduleRef} to {@link ScheduleView}. */
    public static final String SCHEDULE_RESUME = "schedule.resume";
    /** Request-response, client to scheduler: {@link ScheduleRef} to the {@link TaskView} of the task fired now. */
    public static final String SCHEDULE_TRIGGER = "schedule.trigger";

    /** Routes a worker connection may call on the scheduler. */
    public static final Set<String> SCHEDULER_WORKER_ROUTES =
            Set.of(WORKER_HEARTBEAT, WORKER_DRAIN, TASK_PROGRESS, TASK_RESULT, TASK_RESULT_BATCH);

    /** Routes a client connection may call on the scheduler. */
    public static final Set<String> SCHEDULER_CLIENT_ROUTES = Set.of(TASK_SUBMIT, TASK_SUBMIT_AWAIT,
            TASK_SUBMIT_ONEWAY, TASK_SUBMIT_BATCH, TASK_GET, TASK_ABORT, TASK_WATCH, SCHEDULE_PUT, SCHEDULE_GET,
            SCHEDULE_DELETE, SCHEDULE_LIST, SCHEDULE_PAUSE, SCHEDULE_RESUME, SCHEDULE_TRIGGER);

    /** Routes the scheduler may call on a worker. */
    public static final Set<String> WORKER_ROUTES =
            Set.of(WORKER_PING, WORKER_CONFIG, TASK_EXECUTE, TASK_EXECUTE_BATCH, TASK_CANCEL);

    /** SETUP routes. */
    public static final Set<String> SETUP_ROUTES = Set.of(WORKER_CONNECT, CLIENT_CONNECT);

    private static final Map<String, Interaction> INTERACTIONS = Map.ofEntries(
            Map.entry(WORKER_CONNECT, Interaction.SETUP),
            Map.entry(WORKER_HEARTBEAT, Interaction.FIRE_AND_FORGET),
            Map.entry(WORKER_DRAIN, Interaction.REQUEST_RESPONSE),
            Map.entry(WORKER_PING, Interaction.REQUEST_RESPONSE),
            Map.entry(WORKER_CONFIG, Interaction.FIRE_AND_FORGET),
            Map.entry(TASK_EXECUTE, Interaction.REQUEST_RESPONSE),
            Map.entry(TASK_EXECUTE_BATCH, Interaction.REQUEST_RESPONSE),
            Map.entry(TASK_CANCEL, Interaction.FIRE_AND_FORGET),
            Map.entry(TASK_PROGRESS, Interaction.FIRE_AND_FORGET),
            Map.entry(TASK_RESULT, Interaction.REQUEST_RESPONSE),
            Map.entry(TASK_RESULT_BATCH, Interaction.REQUEST_RESPONSE),
            Map.entry(CLIENT_CONNECT, Interaction.SETUP),
            Map.entry(TASK_SUBMIT, Interaction.REQUEST_RESPONSE),
            Map.entry(TASK_SUBMIT_AWAIT, Interaction.REQUEST_RESPONSE),
            Map.entry(TASK_SUBMIT_ONEWAY, Interaction.FIRE_AND_FORGET),
            Map.entry(TASK_SUBMIT_BATCH, Interaction.REQUEST_RESPONSE),
            Map.entry(TASK_GET, Interaction.REQUEST_RESPONSE),
            Map.entry(TASK_ABORT, Interaction.REQUEST_RESPONSE),
            Map.entry(TASK_WATCH, Interaction.REQUEST_STREAM),
            Map.entry(SCHEDULE_PUT, Interaction.REQUEST_RESPONSE),
            Map.entry(SCHEDULE_GET, Interaction.REQUEST_RESPONSE),
            Map.entry(SCHEDULE_DELETE, Interaction.REQUEST_RESPONSE),
            Map.entry(SCHEDULE_LIST, Interaction.REQUEST_RESPONSE),
            Map.entry(SCHEDULE_PAUSE, Interaction.REQUEST_RESPONSE),
            Map.entry(SCHEDULE_RESUME, Interaction.REQUEST_RESPONSE),
            Map.entry(SCHEDULE_TRIGGER, Interaction.REQUEST_RESPONSE));

    private Routes() {
    }

    /**
     * The interaction the protocol assigns to a route.
     *
     * @param route a route name
     * @return its interaction, or empty for a route the protocol does not define
     */
    public static Optional<Interaction> interaction(String route) {
        return Optional.ofNullable(INTERACTIONS.get(route));
    }
}
