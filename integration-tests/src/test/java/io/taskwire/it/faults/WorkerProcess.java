package io.taskwire.it.faults;

import io.taskwire.it.Tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.worker.WorkerApplication;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker as a separate JVM on this test's class path, dialing a scheduler on loopback, its output
 * in {@code target/worker-logs/<id>.log}. Signals are real: {@link #kill9()} is SIGKILL,
 * {@link #pause()} SIGSTOP, {@link #terminate()} SIGTERM. {@link #close()} kills whatever is left, and
 * a shutdown hook does the same for processes a failed test did not close.
 */
public final class WorkerProcess implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(30);

    private final String id;
    private final ChildJvm jvm;
    private final Process process;

    private WorkerProcess(String id, ChildJvm jvm) {
        this.id = id;
        this.jvm = jvm;
        this.process = jvm.process();
    }

    /**
     * Starts a worker JVM.
     *
     * @param id its worker id
     * @param slots its slots
     * @param schedulerPort the port it dials on 127.0.0.1 (the scheduler's, or a proxy's)
     * @param properties more Spring properties, as {@code --key=value}
     */
    public static WorkerProcess start(String id, int slots, int schedulerPort, String... properties) throws IOException {
        return start("127.0.0.1", id, slots, schedulerPort, properties);
    }

    /** Starts a worker JVM dialing the scheduler at this host name (TLS checks the name). */
    public static WorkerProcess start(String schedulerHost, String id, int slots, int schedulerPort, String... properties)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--taskwire.worker.id=" + id,
                Tokens.WORKER_ARG,
                "--taskwire.worker.slots=" + slots,
                "--taskwire.worker.scheduler.host=" + schedulerHost,
                "--taskwire.worker.scheduler.port=" + schedulerPort,
                "--resilience4j.retry.configs.connection.wait-duration=50ms",
                "--resilience4j.retry.configs.connection.exponential-max-wait-duration=500ms",
                "--logging.level.io.taskwire=INFO"));
        args.addAll(List.of(properties));
        return new WorkerProcess(id, ChildJvm.start("worker-logs", id,
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dreactor.netty.ioWorkerCount=2"),
                WorkerApplication.class.getName(), args));
    }

    String id() {
        return id;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the scheduler lists this worker as live; fails at once, with its log, if the JVM died. */
    public void awaitRegistered(WorkerRegistry registry, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(process.isAlive()).as("worker %s exited; its log ends:%n%s", id, logTail()).isTrue();
            return registry.find(id).isPresent();
        });
    }

    /** Sends SIGKILL and waits for the process to be gone; returns when the signal was sent, on {@link System#nanoTime()}. */
    long kill9() throws InterruptedException {
        return jvm.kill9();
    }

    /** Sends SIGSTOP and waits until the kernel shows the process stopped; returns when the signal was sent. */
    long pause() throws IOException, InterruptedException {
        return jvm.pause();
    }

    /** Sends SIGCONT and waits until the process runs again. */
    void resume() throws IOException, InterruptedException {
        jvm.resume();
    }

    /** Sends SIGTERM without waiting; returns when it was sent, on {@link System#nanoTime()}. */
    long terminate() {
        long sentAt = System.nanoTime();
        process.destroy();
        return sentAt;
    }

    /** @return whether the process exited within the time given */
    boolean awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process if it is still there (stopped ones included) and waits for it to be gone. */
    @Override
    public void close() throws InterruptedException {
        jvm.close();
    }

    /** @return the last lines of the worker's output */
    public String logTail() {
        return jvm.logTail();
    }
}
