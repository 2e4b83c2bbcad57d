package io.taskwire.scheduler.leadership;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.scheduler.store.Lead;
import io.taskwire.scheduler.store.TaskStore;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether this scheduler leads the ones sharing its store, and everything that follows from it
 * (PROTOCOL.md section 7). The lead is a lease in the store, judged on the database's clock, taken
 * with a new epoch that fences every write of this scheduler.
 *
 * <ul>
 *   <li>Once the servers listen, the scheduler takes the lead if it is free; otherwise it is a
 *       standby, and looks every {@code renew-interval} whether the lease has expired.</li>
 *   <li>Taking the lead opens the ledger (the store's unfinished tasks are loaded) and announces
 *       {@link LeadershipAcquired}, upon which dispatch goes on with them.</li>
 *   <li>The leader renews its lease every {@code renew-interval}. It steps down once a renewal
 *       finds that another scheduler took the lead (a newer epoch), or once a whole {@code lease}
 *       has passed on its own clock since the start of its last renewal that held, whatever blocks
 *       the renewal (a database out of reach, a pause of the process): by then a standby may lead.
 *       (A scheduler alone on its store, in memory or on an embedded H2 file, cannot lose the lead
 *       that way, and keeps it.)
 *       Stepping down announces {@link LeadershipLost} at once: dispatch stops and the workers are
 *       disconnected, so that they go to the new leader. Once the store answers again, the
 *       application closes and {@link Relaunch} starts it again, as a standby. Its writes meanwhile
 *       are fenced by its epoch and change nothing.</li>
 *   <li>A scheduler that stops gives the lead up, so that a standby takes it at once.</li>
 * </ul>
 */
@Component
public class Leadership {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** Where this scheduler is in the lead's life. */
    public enum State {
        /** The servers do not listen yet. */
        STARTING,
        /** Another scheduler leads, or the store could not be asked yet. */
        STANDBY,
        /** This scheduler leads. */
        LEADER,
        /** It lost the lead; it closes once the store answers, and starts again as a standby. */
        STEPPING_DOWN,
        /** It stopped, or another took the lead from it: it closes. */
        STOPPED
    }

    private final TaskStore store;
    private final TaskLedger ledger;
    private final LeadershipProperties properties;
    private final ApplicationEventPublisher events;
    private final ConfigurableApplicationContext context;
    private final Environment environment;
    private final String holder = UUID.randomUUID().toString();
    private final Counter takeovers;
    /** Two threads: a renewal blocked on the database does not stop the other from seeing the lease run out. */
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "taskwire-leadership");
        thread.setDaemon(true);
        return thread;
    });
    private final Object stepping = new Object();
    /** Why this scheduler stepped down, once it has. */
    private volatile String lost;
    private volatile State state = State.STARTING;
    private volatile long epoch = -1;
    /** {@link System#nanoTime()} at the start of the last taking or renewal of the lead that held. */
    private volatile long renewedAt;
    /** How long a lease lasts on this scheduler's clock; without end on a store no other scheduler shares. */
    private final long leaseNanos;
    private volatile String address;
    /** The leader as the store named it last, while this scheduler is a standby. */
    private volatile Lead leader;
    /** Whether the last call to the store failed, so that an outage is logged once rather than at every tick. */
    private boolean storeFailing;
    /** What the store said when it last failed a call of the leadership, until one succeeds. */
    private volatile String storeSaid;

    Leadership(TaskStore store, TaskLedger ledger, LeadershipProperties properties, ApplicationEventPublisher events,
               ConfigurableApplicationContext context, Environment environment, MeterRegistry meters) {
        this.store = store;
        this.ledger = ledger;
        this.properties = properties;
        this.events = events;
        this.context = context;
        this.environment = environment;
        this.leaseNanos = store.shared() ? properties.leadership().lease().toNanos() : Long.MAX_VALUE;
        Gauge.builder("taskwire.scheduler.leader", this, leadership -> leadership.leads() ? 1 : 0)
                .description("1 while this scheduler leads the ones sharing its store, 0 otherwise").register(meters);
        Gauge.builder("taskwire.scheduler.epoch", this, leadership -> leadership.epoch)
                .description("The epoch of this scheduler's lead; -1 while it does not lead").register(meters);
        this.takeovers = Counter.builder("taskwire.scheduler.takeovers")
                .description("Times this scheduler took the lead").register(meters);
    }

    /** The servers listen: the lead is taken now if it is free, then kept or watched for on a timer. */
    @EventListener
    void on(ApplicationReadyEvent ready) {
        address = properties.advertisedAddress() == null || properties.advertisedAddress().isBlank()
                ? hostName() + ":" + environment.getProperty("local.rsocket.server.port", "7000")
                : properties.advertisedAddress();
        state = State.STANDBY;
        tick();
        long every = properties.leadership().renewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        long check = Math.max(10, every / 5);
        timer.scheduleWithFixedDelay(this::checkLease, check, check, TimeUnit.MILLISECONDS);
    }

    /** The application closes: the lead is given up, so that a standby takes it at once. */
    @EventListener
    void on(ContextClosedEvent closed) {
        if (closed.getApplicationContext() != context) {
            return; // the management server's child context, whose events reach this one's listeners too
        }
        timer.shutdownNow();
        State was = state;
        state = State.STOPPED;
        if (was == State.LEADER) {
            try {
                store.releaseLead(holder, epoch);
                log.info("Gave up the lead (epoch {})", epoch);
            } catch (RuntimeException e) {
                log.warn("Could not give up the lead (epoch {}); a standby takes it when the lease expires: {}", epoch,
                        e.toString());
            }
        }
    }

    /** @return whether this scheduler leads: it takes workers and clients */
    public boolean leads() {
        return state == State.LEADER;
    }

    /** @return this scheduler's id in the lead, new at each start */
    String holder() {
        return holder;
    }

    /** @return where workers and clients reach this scheduler; null until its servers listen */
    String address() {
        return address;
    }

    public State state() {
        return state;
    }

    /**
     * @return whether this scheduler leads and its lease runs by its own clock: what it sends to a
     *         worker now cannot follow a takeover
     */
    public boolean holdsLease() {
        return leads() && System.nanoTime() - renewedAt < leaseNanos;
    }

    /** @return the epoch of this scheduler's lead; -1 while it does not lead */
    public long epoch() {
        return epoch;
    }

    /** @return the address of the scheduler that leads, as the store names it; empty when none is known */
    public Optional<String> leaderAddress() {
        if (leads()) {
            return Optional.ofNullable(address);
        }
        Lead known = leader;
        return known == null ? Optional.empty() : Optional.ofNullable(known.address());
    }

    /**
     * @return the epoch of the lead: this scheduler's own while it leads, the leader's as the store
     *         named it last on a standby; empty when none is known
     */
    public OptionalLong leaderEpoch() {
        if (leads()) {
            return OptionalLong.of(epoch);
        }
        Lead known = leader;
        return known == null ? OptionalLong.empty() : OptionalLong.of(known.epoch());
    }

    /** @return why this scheduler refuses workers and clients while it does not lead, naming the leader when known */
    public String standbyRefusal() {
        if (lost != null) {
            return "this scheduler lost the lead (" + lost + ") and starts again as a standby once the task store"
                    + " answers";
        }
        return leaderAddress().map(leader -> "this scheduler is a standby; the leader is at " + leader)
                .orElse("this scheduler is a standby and no leader is known yet; try again shortly");
    }

    private synchronized void tick() {
        try {
            switch (state) {
                case STANDBY -> tryToLead();
                case LEADER -> renew();
                case STEPPING_DOWN -> closeOnceTheStoreAnswers();
                default -> { }
            }
            if (storeFailing) {
                log.info("The store answers the leadership's calls again");
                storeFailing = false;
            }
            storeSaid = null;
        } catch (RuntimeException e) {
            storeSaid = TaskStore.said(e);
            if (!storeFailing) {
                log.warn("Could not reach the store for the lead ({}); trying again every {} ms", e.toString(),
                        properties.leadership().renewInterval().toMillis());
                storeFailing = true;
            }
        }
    }

    private void tryToLead() {
        Optional<Duration> lapsed = store.leaseLapsedFor();
        long asked = System.nanoTime();
        OptionalLong taken = lapsed.isEmpty() ? OptionalLong.empty()
                : store.acquireLead(holder, address, properties.leadership().lease());
        if (taken.isEmpty()) {
            Lead current = store.currentLead().orElse(null);
            if (current != null && (leader == null || leader.epoch() != current.epoch())) {
                log.info("Standby: the scheduler at {} leads (epoch {})", current.address(), current.epoch());
            }
            leader = current;
            return;
        }
        renewedAt = asked;
        epoch = taken.getAsLong();
        List<Task> restored = ledger.open(epoch);
        leader = null;
        state = State.LEADER;
        takeovers.increment();
        log.info("This scheduler leads (epoch {}, advertised as {})", epoch, address);
        events.publishEvent(new LeadershipAcquired(epoch, restored, asked - lapsed.get().toNanos()));
    }

    private void renew() {
        long asked = System.nanoTime();
        if (store.renewLead(holder, epoch, properties.leadership().lease())) {
            renewedAt = asked;
            return;
        }
        Lead now = store.currentLead().orElse(null);
        stepDown("another scheduler took the lead (epoch " + (now == null ? "?" : now.epoch()) + ", at "
                + (now == null ? "?" : now.address()) + ")");
        closeOnceTheStoreAnswers();
    }

    /** Runs beside the renewals: a lease that ran out on this scheduler's clock is given up even while a renewal blocks. */
    private void checkLease() {
        if (state == State.LEADER && !holdsLease()) {
            String said = storeSaid;
            stepDown("its lease ran out: the task store renewed none for " + properties.leadership().lease().toMillis()
                    + " ms" + (said == null ? "" : "; it said: " + said));
        }
    }

    /** Announces the step-down once, whichever of the renewal and the lease's watch finds it first. */
    private void stepDown(String why) {
        synchronized (stepping) {
            if (state != State.LEADER) {
                return;
            }
            lost = why;
            state = State.STEPPING_DOWN;
            log.error("This scheduler steps down from the lead (epoch {}): {}. Its workers are disconnected; it"
                    + " starts again as a standby once the store answers", epoch, why);
            ledger.leadLost(why);
            events.publishEvent(new LeadershipLost(epoch, why));
        }
    }

    /**
     * The lead is lost: once the store answers, the lead is given up if it is still this scheduler's
     * (a lease that ran out with nobody to take it), so that the next run takes it at once, and the
     * application closes; {@link Relaunch} starts it again. The close waits for the step-down's
     * announcement, by which Relaunch knows to start it again.
     */
    private void closeOnceTheStoreAnswers() {
        store.releaseLead(holder, epoch);
        synchronized (stepping) {
            log.info("The store answers: this scheduler closes, to start again as a standby");
            state = State.STOPPED;
            Thread closer = new Thread(context::close, "taskwire-step-down");
            closer.setDaemon(false);
            closer.start();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
