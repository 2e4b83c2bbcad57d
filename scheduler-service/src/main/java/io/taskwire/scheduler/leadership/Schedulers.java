package io.taskwire.scheduler.leadership;

import io.taskwire.scheduler.store.SchedulerSeen;
import io.taskwire.scheduler.store.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The other schedulers sharing the store, as each says it is up: every lease period, each writes
 * its role on the database's clock and reads the others', so that the leader knows its standbys and
 * a standby its leader and peers. On a thread of its own, so that a slow write never delays the
 * lease's renewal, whose timing decides when a leader steps down. A scheduler that stops deletes its
 * row; the leader deletes those unseen for {@value #FORGET_AFTER_LEASES} leases (killed ones). A
 * scheduler alone on its store (in memory, an embedded H2 file) has no others and writes nothing.
 */
@Component
public class Schedulers {

    /** Seen within this many leases: up. */
    static final int UP_WITHIN_LEASES = 3;
    /** Unseen for this many leases: forgotten. */
    static final int FORGET_AFTER_LEASES = 30;
    private static final Logger log = LoggerFactory.getLogger(Schedulers.class);

    private final TaskStore store;
    private final Leadership leadership;
    private final ConfigurableApplicationContext context;
    private final Duration every;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "taskwire-schedulers");
        thread.setDaemon(true);
        return thread;
    });
    private volatile List<SchedulerSeen> others = List.of();
    private boolean failing;

    Schedulers(TaskStore store, Leadership leadership, LeadershipProperties properties,
               ConfigurableApplicationContext context) {
        this.store = store;
        this.leadership = leadership;
        this.context = context;
        this.every = properties.leadership().lease();
    }

    /** @return the other schedulers seen up within the last {@value #UP_WITHIN_LEASES} leases, by address */
    public List<SchedulerSeen> others() {
        return others;
    }

    @EventListener
    void on(ApplicationReadyEvent ready) {
        if (store.shared()) {
            timer.scheduleWithFixedDelay(this::look, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @EventListener
    void on(ContextClosedEvent closed) {
        if (closed.getApplicationContext() != context || !store.shared()) {
            return;
        }
        timer.shutdownNow();
        try {
            store.forgetSchedulers(leadership.holder(), every.multipliedBy(FORGET_AFTER_LEASES));
        } catch (RuntimeException e) {
            log.debug("Could not say that this scheduler stops; the leader forgets it later: {}", e.toString());
        }
    }

    private void look() {
        try {
            String holder = leadership.holder();
            String address = leadership.address();
            if (address == null) {
                return; // the servers do not listen yet: there is nothing to say
            }
            store.seen(holder, address, leadership.state().name());
            if (leadership.leads()) {
                store.forgetSchedulers("", every.multipliedBy(FORGET_AFTER_LEASES));
            }
            Duration up = every.multipliedBy(UP_WITHIN_LEASES);
            others = store.schedulers().stream()
                    .filter(seen -> !seen.holder().equals(holder) && seen.age().compareTo(up) <= 0).toList();
            failing = false;
        } catch (RuntimeException e) {
            // the lead's own calls say that the store fails; this only keeps the last known
            if (!failing) {
                log.debug("Could not read the schedulers sharing the store: {}", e.toString());
                failing = true;
            }
        }
    }
}
