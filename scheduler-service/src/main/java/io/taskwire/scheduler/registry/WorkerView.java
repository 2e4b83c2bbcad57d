package io.taskwire.scheduler.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker as operators see it (HTTP {@code /api/v1/workers}).
 *
 * @param workerId its id
 * @param host where it runs
 * @param status its state
 * @param slots tasks it runs at once
 * @param inFlight attempts the scheduler has sent it and not seen end
 * @param taskTypes the types it handles
 * @param labels its labels
 * @param version its software version
 * @param connectedAt when its session began
 * @param lastHeartbeatAgeMs milliseconds since its last heartbeat (or since it connected), on the scheduler's clock
 * @param roundTripMs the last ping's round trip, null before the first answer
 * @param running tasks running as its last heartbeat said, null before the first
 * @param cpuLoad its process CPU load as its last heartbeat said, null before the first
 * @param heapUsedBytes heap in use as its last heartbeat said, null before the first
 * @param offlineReason why it left, when OFFLINE
 * @param breaker the state of its circuit breaker (CLOSED, OPEN, HALF_OPEN; NONE once it left)
 */
public record WorkerView(
        String workerId,
        String host,
        WorkerStatus status,
        int slots,
        int inFlight,
        List<String> taskTypes,
        Map<String, String> labels,
        String version,
        Instant connectedAt,
        long lastHeartbeatAgeMs,
        Double roundTripMs,
        Integer running,
        Double cpuLoad,
        Long heapUsedBytes,
        String offlineReason,
        String breaker) {

    /**
     * @param session a session
     * @param nowNanos the scheduler's monotonic clock now
     * @param breaker the state of its circuit breaker
     * @return its view
     */
    public static WorkerView of(WorkerSession session, long nowNanos, String breaker) {
        var heartbeat = session.lastHeartbeat();
        long micros = session.roundTripMicros();
        return new WorkerView(session.id(), session.hello().host(), session.status(), session.slots(),
                session.inFlight(), session.hello().taskTypes(), session.hello().labels(), session.hello().version(),
                session.connectedAt(),
                TimeUnit.NANOSECONDS.toMillis(WorkerRegistry.silenceNanos(session, nowNanos)),
                micros < 0 ? null : micros / 1000.0,
                heartbeat == null ? null : heartbeat.running(),
                heartbeat == null ? null : heartbeat.cpuLoad(),
                heartbeat == null ? null : heartbeat.heapUsedBytes(),
                session.offlineReason(),
                breaker);
    }
}
