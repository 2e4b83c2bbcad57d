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
 *   <li>The leader renews its lease every {@code renew-interval}. While the database cannot be
 *       reached it goes on trying: no write of it commits meanwhile, so it changes nothing. Once the
 *       store says another scheduler leads (a renewal finds a newer epoch), it steps down: the
 *       application closes, its connections with it, and whatever runs it starts it again, as a
 *       standby.</li>
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
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "taskwire-leadership");
        thread.setDaemon(true);
        return thread;
    });
    private volatile State state = State.STARTING;
    private volatile long epoch = -1;
    private volatile String address;
    /** The leader as the store named it last, while this scheduler is a standby. */
    private volatile Lead leader;
    /** Whether the last call to the store failed, so that an outage is logged once rather than at every tick. */
    private boolean storeFailing;

    Leadership(TaskStore store, TaskLedger ledger, LeadershipProperties properties, ApplicationEventPublisher events,
               ConfigurableApplicationContext context, Environment environment, MeterRegistry meters) {
        this.store = store;
        this.ledger = ledger;
        this.properties = properties;
        this.events = events;
        this.context = context;
        this.environment = environment;
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
    }

    /** The application closes: the lead is given up, so that a standby takes it at once. */
    @EventListener
    void on(ContextClosedEvent closed) {
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

    public State state() {
        return state;
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

    /** @return why this scheduler refuses workers and clients while it does not lead, naming the leader when known */
    public String standbyRefusal() {
        return leaderAddress().map(leader -> "this scheduler is a standby; the leader is at " + leader)
                .orElse("this scheduler is a standby and no leader is known yet; try again shortly");
    }

    private synchronized void tick() {
        try {
            switch (state) {
                case STANDBY -> tryToLead();
                case LEADER -> renew();
                default -> { }
            }
            if (storeFailing) {
                log.info("The store answers the leadership's calls again");
                storeFailing = false;
            }
        } catch (RuntimeException e) {
            if (!storeFailing) {
                log.warn("Could not reach the store for the lead ({}); trying again every {} ms", e.toString(),
                        properties.leadership().renewInterval().toMillis());
                storeFailing = true;
            }
        }
    }

    private void tryToLead() {
        OptionalLong taken = store.acquireLead(holder, address, properties.leadership().lease());
        if (taken.isEmpty()) {
            Lead current = store.currentLead().orElse(null);
            if (current != null && (leader == null || leader.epoch() != current.epoch())) {
                log.info("Standby: the scheduler at {} leads (epoch {})", current.address(), current.epoch());
            }
            leader = current;
            return;
        }
        epoch = taken.getAsLong();
        List<Task> restored = ledger.open(epoch);
        leader = null;
        state = State.LEADER;
        takeovers.increment();
        log.info("This scheduler leads (epoch {}, advertised as {})", epoch, address);
        events.publishEvent(new LeadershipAcquired(epoch, restored));
    }

    private void renew() {
        if (!store.renewLead(holder, epoch, properties.leadership().lease())) {
            Lead now = store.currentLead().orElse(null);
            log.error("Another scheduler took the lead (epoch {}, at {}) from this one (epoch {}): it steps down and"
                    + " closes", now == null ? "?" : now.epoch(), now == null ? "?" : now.address(), epoch);
            state = State.STOPPED;
            Thread closer = new Thread(context::close, "taskwire-step-down");
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
