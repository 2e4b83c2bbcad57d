package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.Tokens;
import io.taskwire.scheduler.SchedulerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler as a separate JVM on this test's class path, on fixed loopback ports, its output in
 * {@code target/scheduler-logs/<name>.log}. {@link #kill9()} is a real SIGKILL: nothing of the JVM
 * gets to run, so what survives is what its store had committed. {@link #close()} kills whatever
 * is left, and a shutdown hook does the same for processes a failed test did not close.
 */
final class SchedulerProcess implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(60);

    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
    }

    final int rsocketPort;
    final int httpPort;
    final int managementPort;
    private final Process process;
    private final Path log;

    private SchedulerProcess(Process process, Path log, int rsocketPort, int httpPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.rsocketPort = rsocketPort;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /**
     * Starts a scheduler JVM and waits until it is live.
     *
     * @param name names its log file
     * @param ports the RSocket, HTTP and management ports
     * @param properties more Spring properties, as {@code --key=value}
     */
    static SchedulerProcess start(String name, int[] ports, String... properties) throws IOException {
        Path logs = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "scheduler-logs"));
        Path log = logs.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                SchedulerApplication.class.getName(),
                "--spring.rsocket.server.port=" + ports[0],
                "--server.port=" + ports[1],
                "--management.server.port=" + ports[2],
                "--taskwire.scheduler.tasks.declared-types=sleep",
                "--logging.level.io.taskwire=INFO"));
        command.addAll(List.of(Tokens.SCHEDULER_ARGS));
        command.addAll(List.of(properties));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        STARTED.add(process);
        SchedulerProcess scheduler = new SchedulerProcess(process, log, ports[0], ports[1], ports[2]);
        scheduler.awaitLive();
        return scheduler;
    }

    /** @return three loopback ports free right now: RSocket, HTTP, management */
    static int[] freePorts() {
        return new int[] {InProcessScheduler.freePort(), InProcessScheduler.freePort(), InProcessScheduler.freePort()};
    }

    private void awaitLive() {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            assertThat(process.isAlive()).as("the scheduler exited; its log ends:%n%s", logTail()).isTrue();
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/liveness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return live.statusCode() == 200;
        });
    }

    /** Sends SIGKILL and waits for the process to be gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the scheduler exited after SIGKILL").isTrue();
        assertThat(process.exitValue()).isEqualTo(128 + 9);
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        STARTED.remove(process);
    }
}
