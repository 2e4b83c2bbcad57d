package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.Tokens;
import io.taskwire.scheduler.SchedulerApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduler as a separate JVM on this test's class path, on fixed loopback ports, its output in
 * {@code target/scheduler-logs/<name>.log}. {@link #kill9()} is a real SIGKILL: nothing of the JVM
 * gets to run, so what survives is what its store had committed. {@link #close()} kills whatever
 * is left, and a shutdown hook does the same for processes a failed test did not close.
 */
final class SchedulerProcess implements AutoCloseable {

    static final Duration STARTUP = Duration.ofSeconds(60);

    final int rsocketPort;
    final int httpPort;
    final int managementPort;
    private final ChildJvm jvm;

    private SchedulerProcess(ChildJvm jvm, int rsocketPort, int httpPort, int managementPort) {
        this.jvm = jvm;
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
        List<String> args = new ArrayList<>(List.of(
                "--spring.rsocket.server.port=" + ports[0],
                "--server.port=" + ports[1],
                "--management.server.port=" + ports[2],
                "--taskwire.scheduler.tasks.declared-types=sleep",
                "--logging.level.io.taskwire=INFO"));
        args.addAll(List.of(Tokens.SCHEDULER_ARGS));
        args.addAll(List.of(properties));
        ChildJvm jvm = ChildJvm.start("scheduler-logs", name, List.of("-Xmx384m", "-XX:+UseSerialGC"),
                SchedulerApplication.class.getName(), args);
        SchedulerProcess scheduler = new SchedulerProcess(jvm, ports[0], ports[1], ports[2]);
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
            assertThat(jvm.process().isAlive()).as("the scheduler exited; its log ends:%n%s", jvm.logTail()).isTrue();
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/liveness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return live.statusCode() == 200;
        });
    }

    /** Sends SIGKILL and waits for the process to be gone. */
    void kill9() throws InterruptedException {
        jvm.kill9();
    }

    @Override
    public void close() throws InterruptedException {
        jvm.close();
    }
}
