package io.taskwire.bench.endtoend;

import io.taskwire.bench.Payloads;
import io.taskwire.bench.cluster.JavaProcess;
import io.taskwire.bench.cluster.SchedulerClient;
import io.taskwire.client.ReactiveTaskwireClient;
import io.taskwire.client.TaskRequest;
import io.taskwire.client.TaskwireClient;
import io.taskwire.bench.cluster.SchedulerProcess;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * One variant's cluster: a real scheduler (and a standby beside it, for a variant with one) and two
 * real workers, each in its own JVM, with
 * {@link #WORKER_SLOTS} slots per worker so that a batch of 1,000 fits, and a client connection.
 */
final class Cluster implements AutoCloseable {

    static final int WORKER_SLOTS = 1_024;

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Variant variant;
    private final SchedulerProcess scheduler;
    private final List<String> settings;
    private final int index;
    /** The second scheduler on the same store, once the first leads; null without one. */
    private SchedulerProcess standby;
    private final List<JavaProcess> workers = new ArrayList<>();
    private SchedulerClient client;
    /** The library client the variant submits through, when it does; null otherwise. */
    private TaskwireClient library;

    Cluster(Variant variant, int index) {
        this.variant = variant;
        this.index = index;
        settings = new ArrayList<>(variant.schedulerSettings("scheduler-" + index));
        // ready once both workers are online; events buffered per watcher for whole batches of events
        settings.add("--taskwire.scheduler.min-workers=2");
        settings.add("--taskwire.scheduler.tasks.watch-buffer=100000");
        scheduler = new SchedulerProcess("scheduler-" + index, "1g", settings);
        workers.add(scheduler.startWorker("bench-" + index + "-a", WORKER_SLOTS));
        workers.add(scheduler.startWorker("bench-" + index + "-b", WORKER_SLOTS));
    }

    /** Waits for both workers to be online, then starts the standby if the variant has one, then connects the client. */
    void awaitReady() {
        scheduler.awaitReady(Duration.ofMinutes(3));
        if (variant.standby()) {
            // it starts once the first leads, so that it stands by: it looks at the lease every renew-interval
            standby = scheduler.standby("standby-" + index, "1g", settings);
            standby.awaitLive(Duration.ofMinutes(3));
        }
        client = SchedulerClient.connect(scheduler.rsocketPort(), scheduler.clientToken());
        if (variant.library()) {
            library = TaskwireClient.builder().addresses("localhost:" + scheduler.rsocketPort())
                    .token(scheduler.clientToken()).clientId("benchmark").keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(60))
                    .build();
        }
    }

    /** @return one submission of {@link Variant#batchSize()} tasks, answered with their views */
    Mono<List<TaskView>> submitUnit() {
        if (library != null) {
            return submitThroughLibrary();
        }
        if (variant.perTask()) {
            return client.submit(spec()).map(List::of);
        }
        List<TaskSpec> specs = new ArrayList<>(variant.batchSize());
        for (int i = 0; i < variant.batchSize(); i++) {
            specs.add(spec());
        }
        return client.submitBatch(specs);
    }

    private Mono<List<TaskView>> submitThroughLibrary() {
        ReactiveTaskwireClient reactive = library.reactive();
        if (variant.perTask()) {
            return reactive.submit(request()).map(List::of);
        }
        List<TaskRequest> requests = new ArrayList<>(variant.batchSize());
        for (int i = 0; i < variant.batchSize(); i++) {
            requests.add(request());
        }
        return reactive.submitBatch(requests);
    }

    private static TaskRequest request() {
        return TaskRequest.of(Payloads.TASK_TYPE, Payloads.payload(SEQUENCE.incrementAndGet()));
    }

    private static TaskSpec spec() {
        return TaskSpec.of(Payloads.TASK_TYPE, Payloads.payload(SEQUENCE.incrementAndGet()));
    }

    /** @return tasks that reached a final state since the scheduler started */
    long completed() {
        return Math.round(scheduler.meter("taskwire.tasks.completed"));
    }

    /** @return tasks that reached a final state other than SUCCEEDED since the scheduler started */
    long unsuccessful() {
        return completed() - Math.round(scheduler.meter("taskwire.tasks.completed", "status:succeeded"));
    }

    /**
     * @return the figures so far of the store's commits (how many, the writes in them, their time in
     *         seconds) and of the messages tasks and results travelled in
     */
    Counts counts() {
        String requests = "taskwire.rsocket.requests";
        return new Counts(scheduler.meterStatistic("taskwire.store.commit.writes", "COUNT"),
                scheduler.meterStatistic("taskwire.store.commit.writes", "TOTAL"),
                scheduler.meterStatistic("taskwire.store.commit", "TOTAL_TIME"),
                scheduler.meter("taskwire.tasks.batched"),
                scheduler.meterStatistic(requests, "COUNT", "route:task.execute.batch"),
                scheduler.meterStatistic(requests, "COUNT", "route:task.result")
                        + scheduler.meterStatistic(requests, "COUNT", "route:task.result.batch"));
    }

    /**
     * Cumulative figures of one cluster.
     *
     * @param commits the store's commits
     * @param writes the writes in them
     * @param commitSeconds their time
     * @param batchedTasks tasks sent in {@code task.execute.batch}es
     * @param batches the {@code task.execute.batch}es sent
     * @param resultMessages the {@code task.result} and {@code task.result.batch} messages received
     */
    record Counts(double commits, double writes, double commitSeconds, double batchedTasks, double batches,
                  double resultMessages) {

        Counts minus(Counts before) {
            return new Counts(commits - before.commits, writes - before.writes, commitSeconds - before.commitSeconds,
                    batchedTasks - before.batchedTasks, batches - before.batches, resultMessages - before.resultMessages);
        }
    }

    /** @return CPU time the scheduler's process has used so far */
    Duration schedulerCpu() {
        return scheduler.process().cpuTime();
    }

    /** @return CPU time the standby's process has used so far; zero without one */
    Duration standbyCpu() {
        return standby == null ? Duration.ZERO : standby.process().cpuTime();
    }

    /** @return CPU time both workers' processes have used so far */
    Duration workersCpu() {
        return workers.stream().map(JavaProcess::cpuTime).reduce(Duration.ZERO, Duration::plus);
    }

    SchedulerClient client() {
        return client;
    }

    int rsocketPort() {
        return scheduler.rsocketPort();
    }

    String clientToken() {
        return scheduler.clientToken();
    }

    Variant variant() {
        return variant;
    }

    @Override
    public void close() {
        if (library != null) {
            library.close();
        }
        if (client != null) {
            client.close();
        }
        workers.forEach(JavaProcess::close);
        if (standby != null) {
            standby.close();
        }
        scheduler.close();
    }
}
