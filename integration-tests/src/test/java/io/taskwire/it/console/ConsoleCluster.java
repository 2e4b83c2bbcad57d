package io.taskwire.it.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.it.Tokens;
import io.taskwire.it.faults.InProcessScheduler;
import io.taskwire.it.faults.WorkerProcess;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.registry.WorkerStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the console's browser tests look at: a scheduler in this JVM that accepts a worker, a client
 * and a viewer token ({@link Tokens}), and two real worker JVMs, {@value #FIRST} and
 * {@value #SECOND}, connected to it. An address may present {@value #MAX_FAILED_AUTHENTICATIONS}
 * rejected tokens an hour: a test that types wrong ones comes from an address of its own through a
 * {@link LoopbackRelay}, so that the browser's own address (127.0.0.1) still logs in.
 */
final class ConsoleCluster implements AutoCloseable {

    static final String FIRST = "console-worker-1";
    static final String SECOND = "console-worker-2";
    static final int MAX_FAILED_AUTHENTICATIONS = 3;
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final List<WorkerProcess> workers;
    private final InProcessScheduler scheduler;

    private ConsoleCluster(List<WorkerProcess> workers, InProcessScheduler scheduler) {
        this.workers = workers;
        this.scheduler = scheduler;
    }

    /**
     * Starts the two worker JVMs, then the scheduler they dial, so that the JVMs boot while it
     * starts (a worker retries its connection until it is there); {@link #awaitWorkers()} waits for
     * them to register.
     */
    static ConsoleCluster start() throws IOException {
        int rsocketPort = freePort();
        List<WorkerProcess> workers = new ArrayList<>();
        try {
            for (String id : List.of(FIRST, SECOND)) {
                workers.add(WorkerProcess.start(id, 2, rsocketPort));
            }
            return new ConsoleCluster(workers, InProcessScheduler.startWith(Tokens.VIEWER_ARG,
                    "--spring.rsocket.server.port=" + rsocketPort,
                    "--taskwire.security.max-failed-authentications=" + MAX_FAILED_AUTHENTICATIONS,
                    "--taskwire.security.failed-authentication-window=1h"));
        } catch (IOException | RuntimeException failed) {
            close(workers);
            throw failed;
        }
    }

    /** Waits until both workers are registered; fails with a worker's log if its JVM died. */
    void awaitWorkers() {
        workers.forEach(worker -> worker.awaitRegistered(registry(), STARTUP));
    }

    /** @return where the browser finds the console: {@code http://127.0.0.1:<port>} */
    String origin() {
        return "http://127.0.0.1:" + scheduler.httpPort();
    }

    /** @return the scheduler's view of a worker now */
    WorkerStatus status(String workerId) {
        return registry().find(workerId).map(WorkerSession::status).orElse(WorkerStatus.OFFLINE);
    }

    /** Undoes any drain a test left, so that the next one sees every worker ONLINE. */
    void resumeAll() {
        registry().live().stream().filter(worker -> worker.status() == WorkerStatus.DRAINING)
                .forEach(worker -> registry().resume(worker.id()));
    }

    /** @return the rejected tokens the scheduler counted, over RSocket and HTTP ({@code taskwire.authentications.failed}) */
    long failedAuthentications() {
        Counter counter = scheduler.bean(MeterRegistry.class).find("taskwire.authentications.failed").counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** @return the scheduler, for a test that needs more of it: an RSocket client, a bean (tasks of types echo and sleep run) */
    InProcessScheduler scheduler() {
        return scheduler;
    }

    WorkerRegistry registry() {
        return scheduler.registry();
    }

    int httpPort() {
        return scheduler.httpPort();
    }

    /** Stops the workers, then the scheduler. */
    @Override
    public void close() {
        try {
            close(workers);
        } finally {
            scheduler.close();
        }
    }

    private static void close(List<WorkerProcess> workers) {
        try {
            for (WorkerProcess worker : workers) {
                worker.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
