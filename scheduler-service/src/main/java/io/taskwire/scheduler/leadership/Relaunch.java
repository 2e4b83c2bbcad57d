package io.taskwire.scheduler.leadership;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Runs the scheduler, and runs it again, in the same process, each time it steps down from the lead
 * ({@link LeadershipLost}): the deposed scheduler closes its connections and forgets what it held,
 * then starts afresh from the store as a standby, as a restarted process would. A run that cannot
 * start (the store still out of reach) is tried again every {@value #RETRY_SECONDS} s until one starts.
 */
public final class Relaunch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Relaunch.class);
    private static final long RETRY_SECONDS = 2;

    private final Supplier<SpringApplicationBuilder> application;
    private final String[] args;
    private volatile ConfigurableApplicationContext current;
    private boolean closed;

    private Relaunch(Supplier<SpringApplicationBuilder> application, String[] args) {
        this.application = application;
        this.args = args.clone();
    }

    /**
     * Runs the application once and returns when it has started; from then on it runs again after
     * each step-down, until {@link #close()}.
     *
     * @throws RuntimeException when the first run cannot start, as {@code SpringApplication.run} does
     */
    public static Relaunch run(Supplier<SpringApplicationBuilder> application, String... args) {
        Relaunch relaunch = new Relaunch(application, args);
        relaunch.start();
        return relaunch;
    }

    /** @return the application context of the current run */
    public ConfigurableApplicationContext current() {
        return current;
    }

    /** Closes the current run; no other follows. */
    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            current.close();
        }
    }

    private synchronized void start() {
        if (!closed) {
            current = application.get().listeners(new OnLeadershipLost()).run(args);
        }
    }

    private void relaunchAfter(ConfigurableApplicationContext deposed) {
        Thread relaunching = new Thread(() -> {
            deposed.close(); // returns once the close the step-down began has finished: the ports are free
            if (jvmStops()) {
                log.info("The process stops: not starting again");
                return;
            }
            log.info("Starting again as a standby");
            while (!startedAgain()) {
                try {
                    Thread.sleep(Duration.ofSeconds(RETRY_SECONDS).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }, "taskwire-relaunch");
        // it keeps the JVM alive between the runs, when no other thread of the application does
        relaunching.setDaemon(false);
        relaunching.start();
    }

    private static boolean jvmStops() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }

    private boolean startedAgain() {
        try {
            start();
            return true;
        } catch (RuntimeException e) {
            log.error("Could not start again as a standby ({}); trying again in {} s", e.toString(), RETRY_SECONDS);
            return false;
        }
    }

    /**
     * Each run's listener: a run that stepped down is followed by the next once it has closed. The
     * management server's child context closes with it, and its events reach this listener too:
     * only the closing of the context that stepped down counts.
     */
    private final class OnLeadershipLost implements ApplicationListener<ApplicationEvent> {
        private volatile ConfigurableApplicationContext deposed;
        private final AtomicBoolean relaunched = new AtomicBoolean();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof PayloadApplicationEvent<?> payload && payload.getPayload() instanceof LeadershipLost
                    && payload.getSource() instanceof ConfigurableApplicationContext context) {
                deposed = context;
            } else if (event instanceof ContextClosedEvent closed && deposed != null
                    && closed.getApplicationContext() == deposed && relaunched.compareAndSet(false, true)) {
                relaunchAfter(deposed);
            }
        }
    }
}
