package io.taskwire.worker.execution;

import io.taskwire.messages.DrainReply;
import io.taskwire.messages.DrainRequest;
import io.taskwire.messages.Routes;
import io.taskwire.worker.connection.Connected;
import io.taskwire.worker.connection.ConnectionProperties;
import io.taskwire.worker.connection.SchedulerConnection;
import io.taskwire.worker.delivery.ResultOutbox;
import io.taskwire.worker.delivery.ResultSender;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A stopping worker (SIGTERM) drains before it disconnects: it refuses new tasks, tells the
 * scheduler with {@code worker.drain}, lets its running tasks finish and their results go out
 * (bounded by {@code taskwire.worker.shutdown-timeout}), and only then lets the connection close.
 * It stops first: the connection, heartbeats and outbox stop after it.
 */
@Component
class DrainOnShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DrainOnShutdown.class);
    private static final Duration POLL = Duration.ofMillis(50);
    /** Time for the last replies to leave the socket before the connection is closed. */
    private static final Duration SETTLE = Duration.ofMillis(250);

    private final TaskRunner runner;
    private final ResultOutbox outbox;
    private final ResultSender results;
    private final SchedulerConnection connection;
    private final String workerId;
    private final Duration shutdownTimeout;
    private volatile boolean running;

    DrainOnShutdown(TaskRunner runner, ResultOutbox outbox, ResultSender results, SchedulerConnection connection,
                    ConnectionProperties properties, ExecutionProperties execution) {
        this.runner = runner;
        this.results = results;
        this.outbox = outbox;
        this.connection = connection;
        this.workerId = properties.id();
        this.shutdownTimeout = execution.shutdownTimeout();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("stopped asynchronously through stop(Runnable)");
    }

    @Override
    public void stop(Runnable done) {
        runner.drain();
        log.info("Draining: {} tasks running, {} results waiting", runner.runningCount(), outbox.size());
        tellScheduler()
                .then(finished())
                .doFinally(signal -> {
                    running = false;
                    done.run();
                })
                .subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }

    private Mono<Void> tellScheduler() {
        return Mono.justOrEmpty(connection.current())
                .map(Connected::requester)
                .flatMap(requester -> requester.route(Routes.WORKER_DRAIN)
                        .data(new DrainRequest(workerId))
                        .retrieveMono(DrainReply.class)
                        .timeout(Duration.ofSeconds(5)))
                .doOnNext(reply -> log.info("The scheduler sends no new tasks; it counts {} in flight", reply.inFlight()))
                .onErrorResume(e -> {
                    log.warn("Could not tell the scheduler this worker is draining: {}", e.toString());
                    return Mono.empty();
                })
                .then();
    }

    private Mono<Void> finished() {
        return Flux.interval(POLL)
                // waiting results can only leave while connected; the scheduler re-runs any left behind
                .filter(tick -> runner.runningCount() == 0 && results.idle()
                        && (outbox.size() == 0 || connection.current().isEmpty()))
                .next()
                .then(Mono.delay(SETTLE))
                .timeout(shutdownTimeout)
                .doOnSuccess(ignored -> log.info("Drained: every task finished and was delivered"))
                .onErrorResume(e -> {
                    log.warn("Stopping after {} with {} tasks still running and {} results undelivered",
                            shutdownTimeout, runner.runningCount(), outbox.size());
                    return Mono.empty();
                })
                .then();
    }
}
