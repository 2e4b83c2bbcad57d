package io.taskwire.scheduler.registry;

import io.rsocket.RSocket;
import io.taskwire.messages.DrainReply;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.stereotype.Component;

/**
 * The live workers, each with the connection it dialed in on, and the ones that left recently.
 * A worker leaves exactly once per session, on connection close or heartbeat timeout, whichever
 * comes first; {@link WorkerLeft} tells the rest of the scheduler.
 */
@Component
public class WorkerRegistry {

    private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);
    /** Most advertised task types remembered after their workers left. */
    static final int MAX_REMEMBERED_TYPES = 10_000;
    /** Most workers refused for their replies at once. */
    static final int MAX_COOLING_DOWN = 10_000;
    /** Most departed workers listed at once; past it the longest gone is forgotten first. */
    static final int MAX_DEPARTED = 10_000;

    private final ConcurrentHashMap<String, WorkerSession> live = new ConcurrentHashMap<>();
    /** Held while a join or a departure is recorded and announced; reads never take it. */
    private final Object membership = new Object();
    /**
     * The workers that left within the retention, the longest gone first; guarded by {@link #membership}.
     * Pruned as workers leave, so that a fleet that changes its ids (a pod name per deploy) or a peer
     * that dials in under a new id each time cannot grow it while nobody lists the workers.
     */
    private final LinkedHashMap<String, Departed> departed = new LinkedHashMap<>();
    private final Set<String> advertisedTypes = ConcurrentHashMap.newKeySet();
    /** Workers disconnected for their replies, until when they are refused at SETUP. */
    private final ConcurrentHashMap<String, CoolDown> coolingDown = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;
    private final RegistryProperties properties;
    private final Clock clock;

    WorkerRegistry(ApplicationEventPublisher events, RegistryProperties properties, Clock clock) {
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Registers a worker that dialed in.
     *
     * @throws ProtocolException {@code DUPLICATE} when a live session holds the same id; it is untouched
     */
    public WorkerSession register(WorkerHello hello, RSocketRequester requester) {
        WorkerSession session = new WorkerSession(hello, requester, clock.instant(), System.nanoTime());
        CoolDown coolDown = coolingDown.get(hello.workerId());
        if (coolDown != null && clock.instant().isBefore(coolDown.until())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "worker " + hello.workerId() + " is refused until "
                    + coolDown.until() + ": it was disconnected for malformed replies (the last: " + coolDown.why() + ")");
        }
        synchronized (membership) {
            WorkerSession existing = live.putIfAbsent(hello.workerId(), session);
            if (existing != null) {
                throw new ProtocolException(ErrorCode.DUPLICATE, "worker " + hello.workerId()
                        + " already holds a live session (connected at " + existing.connectedAt() + ")");
            }
            departed.remove(hello.workerId());
            rememberTypes(hello);
            log.info("Worker {} joined from {} with {} slots for {}", hello.workerId(), hello.host(), hello.slots(),
                    hello.taskTypes());
            events.publishEvent(new WorkerJoined(session));
        }
        return session;
    }

    /** Takes a session out of the registry; only the first call for a session has an effect. */
    public void remove(WorkerSession session, String reason) {
        if (!session.markOffline(reason)) {
            return;
        }
        // joins and departures are announced in the order they happen: a new session of the same id
        // cannot join (and make its breaker and gauges) while this departure's listeners still run
        synchronized (membership) {
            live.remove(session.id(), session);
            forgetDeparted(1);
            // put alone keeps an earlier entry's place, and the map must stay in the order of departure
            departed.remove(session.id());
            departed.put(session.id(), new Departed(session, clock.instant()));
            log.info("Worker {} left: {}", session.id(), reason);
            events.publishEvent(new WorkerLeft(session, reason));
        }
        session.requester().rsocket().dispose();
    }

    /** Takes every live worker out of the registry and closes its connection. */
    public void removeAll(String reason) {
        List.copyOf(live.values()).forEach(session -> remove(session, reason));
    }

    /**
     * Records a malformed reply of a worker (a result for another task, attempt or fence, data that
     * does not parse). Past {@code fault-limit} of them in one session the worker is disconnected and
     * refused at SETUP for {@code fault-cool-down}.
     *
     * @param why what was wrong with the reply
     */
    public void fault(WorkerSession session, String why) {
        int faults = session.fault();
        if (faults <= properties.faultLimit()) {
            log.warn("Worker {} gave a malformed reply ({} of {} allowed in a session): {}", session.id(), faults,
                    properties.faultLimit(), why);
            return;
        }
        coolingDown.values().removeIf(entry -> !clock.instant().isBefore(entry.until()));
        if (coolingDown.size() < MAX_COOLING_DOWN) {
            coolingDown.put(session.id(), new CoolDown(clock.instant().plus(properties.faultCoolDown()), why));
        }
        remove(session, "faulty replies: " + faults + " malformed replies, the last: " + why);
    }

    /**
     * Records a heartbeat on the scheduler's clock.
     *
     * @param session the session {@link #sessionOf} found for it (a heartbeat for another worker is refused there)
     */
    public void heartbeat(WorkerSession session, WorkerHeartbeat heartbeat) {
        session.heartbeat(heartbeat, System.nanoTime());
    }

    /**
     * Stops sending a worker new tasks.
     *
     * @param workerId the worker
     * @return the worker and the attempts still in flight on it
     */
    public DrainReply drain(String workerId) {
        WorkerSession session = live(workerId);
        session.draining(true);
        log.info("Worker {} is draining with {} tasks in flight", workerId, session.inFlight());
        events.publishEvent(new WorkerDraining(session));
        return new DrainReply(workerId, session.inFlight());
    }

    /**
     * Sends a drained worker new tasks again.
     *
     * @param workerId the worker
     * @return its session
     */
    public WorkerSession resume(String workerId) {
        WorkerSession session = live(workerId);
        session.draining(false);
        log.info("Worker {} is resumed: it gets new tasks again", workerId);
        events.publishEvent(new WorkerResumed(session));
        return session;
    }

    /**
     * Finds the session of a connection, checking that it belongs to the worker named.
     *
     * @throws ProtocolException {@code FORBIDDEN} when the connection is not that worker's
     */
    public WorkerSession sessionOf(String workerId, RSocketRequester from) {
        WorkerSession session = live.get(workerId);
        if (session == null || session.requester() != from) {
            throw new ProtocolException(ErrorCode.FORBIDDEN,
                    "this connection does not belong to a live worker " + workerId);
        }
        return session;
    }

    /** @return the live session on a connection (as its requester sends), if one is */
    public Optional<WorkerSession> sessionOn(RSocket connection) {
        return live.values().stream().filter(session -> session.requester().rsocket() == connection).findFirst();
    }

    public Optional<WorkerSession> find(String workerId) {
        return Optional.ofNullable(live.get(workerId));
    }

    /** @return the live sessions */
    public Collection<WorkerSession> live() {
        return Collections.unmodifiableCollection(live.values());
    }

    /** @return live sessions and those that left within the retention, the live ones first */
    public List<WorkerSession> all() {
        List<WorkerSession> all = new ArrayList<>(live.values());
        synchronized (membership) {
            forgetDeparted(0);
            departed.values().forEach(entry -> all.add(entry.session()));
        }
        return all;
    }

    /** @return how many departed workers are remembered */
    int departedCount() {
        synchronized (membership) {
            return departed.size();
        }
    }

    /**
     * Forgets the departures past the retention, and the longest gone until {@code room} more fit
     * within {@link #MAX_DEPARTED}.
     */
    private void forgetDeparted(int room) {
        Instant oldestKept = clock.instant().minus(properties.offlineRetention());
        Iterator<Departed> oldestFirst = departed.values().iterator();
        while (oldestFirst.hasNext()) {
            Departed entry = oldestFirst.next();
            if (!entry.at().isBefore(oldestKept) && departed.size() + room <= MAX_DEPARTED) {
                return;
            }
            oldestFirst.remove();
        }
    }

    /** Remembers advertised types, up to a bound, so that workers cannot grow the set without end. */
    private void rememberTypes(WorkerHello hello) {
        for (String type : hello.taskTypes()) {
            if (advertisedTypes.size() >= MAX_REMEMBERED_TYPES && !advertisedTypes.contains(type)) {
                log.warn("Not remembering task type '{}' of worker {}: {} types are remembered already; declare it in "
                        + "taskwire.scheduler.tasks.declared-types", type, hello.workerId(), MAX_REMEMBERED_TYPES);
                continue;
            }
            advertisedTypes.add(type);
        }
    }

    /** @return whether any worker has advertised this task type since the scheduler started */
    public boolean everAdvertised(String type) {
        return advertisedTypes.contains(type);
    }

    /** Records the round trip of the last answered ping. */
    public void roundTrip(WorkerSession session, long micros) {
        session.roundTrip(micros);
    }

    /** @return nanoseconds since the session's last heartbeat, on the scheduler's clock */
    public static long silenceNanos(WorkerSession session, long nowNanos) {
        return nowNanos - session.lastSeenNanos();
    }

    private record Departed(WorkerSession session, Instant at) {
    }

    private WorkerSession live(String workerId) {
        return find(workerId).orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no live worker " + workerId));
    }

    private record CoolDown(Instant until, String why) {
    }
}
