package io.taskwire.scheduler.registry;

import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.messaging.rsocket.RSocketRequester;

/**
 * One connected worker: who it is, the requester that calls it back over its own connection, its
 * slots as the scheduler counts them, and what its heartbeats and pings said last.
 */
public final class WorkerSession {

    private final WorkerHello hello;
    private final RSocketRequester requester;
    private final Instant connectedAt;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    private volatile long lastSeenNanos;
    private volatile WorkerHeartbeat lastHeartbeat;
    private volatile long roundTripMicros = -1;
    private volatile boolean draining;
    /** Whether the attempts its hello lists are re-attached: until then it is offered nothing, so that they find its slots free. */
    private volatile boolean attached;
    private volatile String offlineReason;

    WorkerSession(WorkerHello hello, RSocketRequester requester, Instant connectedAt, long nowNanos) {
        this.hello = hello;
        this.requester = requester;
        this.connectedAt = connectedAt;
        this.lastSeenNanos = nowNanos;
    }

    public String id() {
        return hello.workerId();
    }

    public WorkerHello hello() {
        return hello;
    }

    public RSocketRequester requester() {
        return requester;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public int slots() {
        return hello.slots();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public WorkerStatus status() {
        if (offlineReason != null) {
            return WorkerStatus.OFFLINE;
        }
        if (draining) {
            return WorkerStatus.DRAINING;
        }
        return inFlight.get() >= slots() ? WorkerStatus.BUSY : WorkerStatus.ONLINE;
    }

    /** @return whether new tasks may go to this worker at all (slots aside) */
    public boolean acceptsWork() {
        return attached && offlineReason == null && !draining;
    }

    /** The attempts its hello lists are re-attached (or cancelled): new tasks may go to it from now on. */
    public void attached() {
        attached = true;
    }

    public boolean handles(String type) {
        return hello.taskTypes().contains(type);
    }

    /** @return whether the worker carries every one of the labels */
    public boolean matches(Map<String, String> labels) {
        return hello.labels().entrySet().containsAll(labels.entrySet());
    }

    /** Takes a slot if one is free; the dispatcher gives it back with {@link #releaseSlot()}. */
    public boolean tryReserveSlot() {
        while (true) {
            int current = inFlight.get();
            if (current >= slots()) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void releaseSlot() {
        inFlight.decrementAndGet();
    }

    public int freeSlots() {
        return Math.max(0, slots() - inFlight.get());
    }

    void heartbeat(WorkerHeartbeat heartbeat, long nowNanos) {
        lastHeartbeat = heartbeat;
        lastSeenNanos = nowNanos;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    public WorkerHeartbeat lastHeartbeat() {
        return lastHeartbeat;
    }

    void roundTrip(long micros) {
        roundTripMicros = micros;
    }

    /** @return the last ping's round trip in microseconds, or -1 before the first answer */
    public long roundTripMicros() {
        return roundTripMicros;
    }

    /** @return whether the scheduler sends this worker nothing new (an operator's drain, or the worker's own) */
    public boolean draining() {
        return draining;
    }

    void draining(boolean on) {
        draining = on;
    }

    /** Marks the session offline; true only for the first call. */
    synchronized boolean markOffline(String reason) {
        if (offlineReason != null) {
            return false;
        }
        offlineReason = reason;
        return true;
    }

    public String offlineReason() {
        return offlineReason;
    }

    /** @return the malformed replies this session gave, this one included */
    int fault() {
        return faults.incrementAndGet();
    }
}
