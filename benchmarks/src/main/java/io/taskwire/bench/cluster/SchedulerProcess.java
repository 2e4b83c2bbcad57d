package io.taskwire.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.bench.LoadGenerator;
import io.taskwire.messages.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A real scheduler ({@code SchedulerApplication}, its packaged configuration) in a JVM of its own,
 * on free ports, with tokens made for this run. Read through its actuator like an operator would.
 */
public final class SchedulerProcess implements AutoCloseable {

    private final String workerToken;
    private final String clientToken;
    private final int rsocketPort;
    private final int httpPort;
    private final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JavaProcess process;

    /** The property that keeps tasks in memory only; a scheduler here does so unless its settings say otherwise. */
    public static final String STORE_IN_MEMORY = "taskwire.scheduler.store.in-memory";

    /**
     * @param name for messages
     * @param maxHeap its {@code -Xmx}
     * @param settings further {@code --property=value} arguments; without {@value #STORE_IN_MEMORY}
     *        the scheduler keeps its tasks in memory only
     */
    public SchedulerProcess(String name, String maxHeap, List<String> settings) {
        this(name, maxHeap, List.of(), settings);
    }

    /**
     * @param jvmOptions further options of its JVM
     * @see #SchedulerProcess(String, String, List)
     */
    public SchedulerProcess(String name, String maxHeap, List<String> jvmOptions, List<String> settings) {
        this(name, maxHeap, jvmOptions, settings, token(), token(), JavaProcess.freePort(), JavaProcess.freePort(),
                JavaProcess.freePort());
    }

    private SchedulerProcess(String name, String maxHeap, List<String> jvmOptions, List<String> settings,
                             String workerToken, String clientToken, int rsocketPort, int httpPort, int managementPort) {
        this.workerToken = workerToken;
        this.clientToken = clientToken;
        this.rsocketPort = rsocketPort;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        List<String> args = new ArrayList<>(List.of(
                "--spring.rsocket.server.port=" + rsocketPort,
                "--server.port=" + httpPort,
                "--management.server.port=" + managementPort,
                "--taskwire.security.worker-tokens=" + workerToken,
                "--taskwire.security.client-tokens=" + clientToken,
                "--logging.level.root=WARN"));
        if (settings.stream().noneMatch(setting -> setting.startsWith("--" + STORE_IN_MEMORY + "="))) {
            args.add("--" + STORE_IN_MEMORY + "=true");
        }
        args.addAll(settings);
        process = JavaProcess.start(name, "io.taskwire.scheduler.SchedulerApplication", maxHeap, jvmOptions, args);
    }

    /**
     * Starts the scheduler again, once this process has stopped: the same ports and tokens, so that
     * its workers find it, and the given settings (the same store, for a restart).
     */
    public SchedulerProcess restart(String name, String maxHeap, List<String> settings) {
        return new SchedulerProcess(name, maxHeap, List.of(), settings, workerToken, clientToken, rsocketPort, httpPort,
                managementPort);
    }

    /**
     * Starts a second scheduler on the same settings (the same store) and tokens, on ports of its
     * own: while this one leads, it stands by.
     */
    public SchedulerProcess standby(String name, String maxHeap, List<String> settings) {
        return new SchedulerProcess(name, maxHeap, List.of(), settings, workerToken, clientToken, JavaProcess.freePort(),
                JavaProcess.freePort(), JavaProcess.freePort());
    }

    /** Waits until liveness is UP: for a standby, which is never ready while another scheduler leads. */
    public void awaitLive(Duration within) {
        awaitHealth("liveness", within);
    }

    /** Starts a real worker application in its own JVM that dials this scheduler (and keeps dialing its port). */
    public JavaProcess startWorker(String id, int slots) {
        return JavaProcess.start(id, "io.taskwire.worker.WorkerApplication", "512m", List.of(
                "--server.port=0",
                "--taskwire.worker.id=" + id,
                "--taskwire.worker.slots=" + slots,
                "--taskwire.worker.token=" + workerToken,
                "--taskwire.worker.scheduler.port=" + rsocketPort,
                "--taskwire.worker.shutdown-timeout=1s",
                "--logging.level.root=WARN"));
    }

    /** Waits until readiness is UP: the RSocket server accepts and {@code min-workers} are online. */
    public void awaitReady(Duration within) {
        awaitHealth("readiness", within);
    }

    private void awaitHealth(String probe, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited:\n" + process.tail());
            }
            if (up(probe)) {
                return;
            }
            LoadGenerator.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException(process.name() + " not " + probe + " within " + within + ":\n" + process.tail());
    }

    /** @return whether readiness is UP now; false while the scheduler does not listen yet */
    public boolean ready() {
        return up("readiness");
    }

    private boolean up(String probe) {
        try {
            return get("/actuator/health/" + probe).statusCode() == 200;
        } catch (IOException notListening) {
            return false;
        }
    }

    /**
     * @param name a meter's name
     * @param tags {@code key:value} selections, as {@code /actuator/metrics} takes them
     * @return the first measurement ({@code COUNT} or {@code VALUE}) summed over the selected series, 0 if none exists yet
     */
    public double meter(String name, String... tags) {
        return meterStatistic(name, null, tags);
    }

    /**
     * @param statistic the measurement to read ({@code COUNT}, {@code TOTAL}, {@code TOTAL_TIME}, {@code MAX});
     *        null for the first
     * @return that measurement of the scheduler's meter; 0 when there is no such meter yet
     */
    public double meterStatistic(String name, String statistic, String... tags) {
        StringBuilder path = new StringBuilder("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            path.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        try {
            HttpResponse<String> response = get(path.toString());
            if (response.statusCode() == 404) {
                return 0;
            }
            for (JsonNode measurement : Json.mapper().readTree(response.body()).path("measurements")) {
                if (statistic == null || statistic.equals(measurement.path("statistic").asText())) {
                    return measurement.path("value").asDouble();
                }
            }
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + name + " from " + process.name(), e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
                .header("Authorization", "Bearer " + clientToken).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public JavaProcess process() {
        return process;
    }

    public int rsocketPort() {
        return rsocketPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String workerToken() {
        return workerToken;
    }

    public String clientToken() {
        return clientToken;
    }

    @Override
    public void close() {
        process.close();
    }

    private static String token() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
