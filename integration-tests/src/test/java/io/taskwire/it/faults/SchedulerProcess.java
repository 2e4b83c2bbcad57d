package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.Tokens;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.SchedulerApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            assertThat(jvm.process().isAlive()).as("the scheduler exited; its log ends:%n%s", jvm.logTail()).isTrue();
            HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/liveness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return live.statusCode() == 200;
        });
    }

    /** Waits until the scheduler lists {@code count} workers ONLINE. */
    void awaitWorkersOnline(int count) {
        await().atMost(WorkerProcess.STARTUP).pollInterval(Duration.ofMillis(200)).until(() ->
                get("/api/v1/workers").split("\"status\":\"ONLINE\"", -1).length - 1 >= count);
    }

    /** @return every task, from the HTTP API: the store's view of them */
    List<TaskView> tasks() throws Exception {
        return List.of(Json.read(get("/api/v1/tasks?limit=1000").getBytes(StandardCharsets.UTF_8), TaskView[].class));
    }

    long succeeded() throws Exception {
        return tasks().stream().filter(view -> view.status() == TaskStatus.SUCCEEDED).count();
    }

    /** @return the status of {@code /actuator/health/readiness} */
    int readiness() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** @return the body of a GET on the HTTP API with the client token, which must answer 200 */
    String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + Tokens.CLIENT).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    /** @return this scheduler's place in the lead ({@code LEADER}, {@code STANDBY}...), from {@code /actuator/workers} */
    String role() throws Exception {
        Process process = jvm.process();
        if (!process.isAlive()) {
            throw new AssertionError("the scheduler exited with " + process.exitValue() + "; its log ends:\n" + jvm.logTail());
        }
        HttpResponse<String> workers = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/actuator/workers")).header("Authorization", "Bearer " + Tokens.CLIENT)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(workers.statusCode()).as("/actuator/workers: %s", workers.body()).isEqualTo(200);
        return Json.mapper().readTree(workers.body()).path("role").asText();
    }

    /** Sends SIGSTOP and waits until the kernel shows the process stopped; returns when the signal was sent. */
    long pause() throws IOException, InterruptedException {
        return jvm.pause();
    }

    /** Sends SIGCONT and waits until the process runs again. */
    void resume() throws IOException, InterruptedException {
        jvm.resume();
    }

    /** @return whether the process is still there */
    boolean isAlive() {
        return jvm.process().isAlive();
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
