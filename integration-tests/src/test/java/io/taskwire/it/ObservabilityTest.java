package io.taskwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskwire.messages.Json;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import io.taskwire.worker.connection.SchedulerConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestTemplate;
import reactor.core.publisher.Flux;

/** What operators see: the metrics after known traffic, and health that follows the workers. */
class ObservabilityTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** A metric named in a PromQL expression: every one the dashboard queries carries a label selector. */
    private static final Pattern SERIES = Pattern.compile("([a-z_]+)\\{");
    private static final RestTemplate http = Tokens.http();

    private static LocalCluster cluster;
    private static ConfigurableApplicationContext worker1;
    private static ConfigurableApplicationContext worker2;
    private static RSocketRequester client;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start();
        worker1 = cluster.startWorker("obs-1");
        worker2 = cluster.startWorker("obs-2");
        client = cluster.client("observer");
        await().atMost(LIMIT).until(() -> health(LocalCluster.managementPort(worker1), "readiness").contains("\"UP\"")
                && health(LocalCluster.managementPort(worker2), "readiness").contains("\"UP\""));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void metricsCountEveryInteractionOnBothSides() {
        Map<String, String> executedOk = Map.of("route", Routes.TASK_EXECUTE, "side", "requester", "outcome", "success");
        Map<String, String> answeredOk = Map.of("route", Routes.TASK_EXECUTE, "side", "responder", "outcome", "success");
        double executedBefore = scheduler().sum("taskwire_rsocket_requests_seconds_count", executedOk);
        double answeredBefore = workers("taskwire_rsocket_requests_seconds_count", answeredOk);
        double succeededBefore = scheduler().sum("taskwire_tasks_completed_total", Map.of("status", "succeeded"));
        // tasks that meet in one dispatch round for one worker leave in a task.execute.batch instead
        double batchedBefore = scheduler().sum("taskwire_tasks_batched_total", Map.of());

        List<TaskView> done = Flux.range(0, 40)
                .flatMap(n -> client.route(Routes.TASK_SUBMIT_AWAIT).data(echo(n)).retrieveMono(TaskView.class), 8)
                .collectList().block(LIMIT);
        Flux.range(40, 10).concatMap(n -> client.route(Routes.TASK_SUBMIT_ONEWAY).data(echo(n)).send()).blockLast(LIMIT);

        assertThat(done).hasSize(40).allSatisfy(view -> assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED));
        await().atMost(LIMIT).untilAsserted(() -> {
            double succeeded = scheduler().sum("taskwire_tasks_completed_total", Map.of("status", "succeeded"))
                    - succeededBefore;
            assertThat(succeeded).isEqualTo(50);
            double executed = scheduler().sum("taskwire_rsocket_requests_seconds_count", executedOk) - executedBefore;
            double batched = scheduler().sum("taskwire_tasks_batched_total", Map.of()) - batchedBefore;
            assertThat(executed + batched).as("successful task.execute calls plus batched tasks, scheduler side")
                    .isEqualTo(succeeded);
            assertThat(workers("taskwire_rsocket_requests_seconds_count", answeredOk) - answeredBefore)
                    .as("successful task.execute answers, summed over both workers").isEqualTo(executed);
        });
        Prometheus scheduler = scheduler();
        double sentBytes = scheduler.sum("taskwire_rsocket_payload_bytes_sum",
                Map.of("route", Routes.TASK_EXECUTE, "side", "requester", "direction", "sent"));
        double sentCount = scheduler.sum("taskwire_rsocket_payload_bytes_count",
                Map.of("route", Routes.TASK_EXECUTE, "side", "requester", "direction", "sent"));
        assertThat(sentBytes / sentCount).as("mean bytes of an echo assignment").isBetween(100.0, 1000.0);
        assertThat(scheduler.sum("taskwire_rsocket_requests_seconds_count",
                Map.of("route", Routes.TASK_SUBMIT_ONEWAY, "mode", "fire-and-forget", "side", "responder")))
                .isGreaterThanOrEqualTo(10);
        assertThat(scheduler.sum("taskwire_rsocket_requests_seconds_count",
                Map.of("route", Routes.WORKER_HEARTBEAT, "mode", "fire-and-forget", "side", "responder")))
                .isPositive();
        assertThat(scheduler.sum("taskwire_rsocket_requests_seconds_count",
                Map.of("route", Routes.WORKER_PING, "side", "requester", "outcome", "success"))).isPositive();
        assertThat(scheduler.has("taskwire_rsocket_requests_seconds_bucket")).as("percentile histogram").isTrue();
        assertThat(scheduler.sum("taskwire_workers", Map.of("status", "online"))).isEqualTo(2);
        assertThat(scheduler.has("taskwire_worker_heartbeat_gap_seconds")).isTrue();
        assertThat(scheduler.has("taskwire_tasks_time_to_finish_seconds_count")).isTrue();
        assertThat(scheduler.sum("taskwire_workers_breakers", Map.of("state", "closed"))).isEqualTo(2);
        assertThat(scheduler.has("resilience4j_circuitbreaker_state")).as("no per-worker breaker series").isFalse();
        assertThat(Prometheus.scrape(LocalCluster.managementPort(worker1)).has("resilience4j_retry_calls_total"))
                .as("the worker's retries (dialing, delivery)").isTrue();
    }

    /**
     * The Helm chart's Grafana dashboard queries only series that exist: each metric its queries
     * name is exposed by the scheduler or a worker once tasks have run.
     */
    @Test
    void everySeriesTheGrafanaDashboardQueriesIsExposed() throws Exception {
        List<TaskView> ran = Flux.range(200, 4).flatMap(n -> client.route(Routes.TASK_SUBMIT_AWAIT).data(echo(n))
                .retrieveMono(TaskView.class)).collectList().block(LIMIT);
        assertThat(ran).allSatisfy(view -> assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED));
        JsonNode dashboard = tree(Files.readString(Path.of("..", "helm", "taskwire", "dashboards", "taskwire.json")));
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher metric = SERIES.matcher(target.path("expr").asText());
                while (metric.find()) {
                    queried.add(metric.group(1));
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(20);

        Prometheus scheduler = scheduler();
        Prometheus worker = Prometheus.scrape(LocalCluster.managementPort(worker1));
        assertThat(queried).allSatisfy(name -> assertThat(scheduler.has(name) || worker.has(name))
                .as("%s is exposed", name).isTrue());
    }

    @Test
    void streamIsMeasuredWhenItEnds() {
        Map<String, String> watch = Map.of("route", Routes.TASK_WATCH, "mode", "request-stream", "side", "responder");
        double before = scheduler().sum("taskwire_rsocket_requests_seconds_count", watch);
        TaskView task = client.route(Routes.TASK_SUBMIT_AWAIT).data(echo(99)).retrieveMono(TaskView.class).block(LIMIT);

        client.route(Routes.TASK_WATCH).data(new WatchFilter(task.taskId(), null)).retrieveFlux(TaskEvent.class)
                .blockLast(LIMIT);

        await().atMost(LIMIT).until(() -> scheduler().sum("taskwire_rsocket_requests_seconds_count", watch) > before);
    }

    @Test
    void stoppedWorkerTurnsOfflineInReadinessDetailsWhileLivenessStaysUp() {
        ConfigurableApplicationContext leaving = cluster.startWorker("obs-leaving");
        await().atMost(LIMIT).until(() -> workerStatus("obs-leaving").equals("ONLINE"));

        // stops dialing and closes the connection; closing the whole context would also dispose the
        // Reactor Netty resources this JVM's scheduler shares (in production each has its own JVM)
        leaving.getBean(SchedulerConnection.class).stop();

        await().atMost(Duration.ofSeconds(2)).until(() -> workerStatus("obs-leaving").equals("OFFLINE"));
        assertThat(health(cluster.managementPort, "liveness")).contains("\"status\":\"UP\"");
        assertThat(health(cluster.managementPort, "readiness")).contains("\"status\":\"UP\"");
    }

    @Test
    void endpointsThatAreNotExposedAreNotFoundForEveryCaller() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        for (int port : List.of(cluster.managementPort, LocalCluster.managementPort(worker1))) {
            for (String hidden : List.of("env", "heapdump", "threaddump", "shutdown", "beans", "configprops", "nosuch")) {
                for (String token : new String[] {null, Tokens.WORKER, Tokens.CLIENT}) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/actuator/" + hidden));
                    if (token != null) {
                        request.header("Authorization", "Bearer " + token);
                    }
                    HttpResponse<String> answer = plain.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as("/actuator/%s on port %d with token %s", hidden, port, token)
                            .isEqualTo(404);
                }
            }
        }
        assertThat(http.getForObject("http://localhost:" + cluster.managementPort + "/actuator/workers", String.class))
                .contains("obs-1").contains("obs-2").contains("\"breaker\":\"CLOSED\"");
    }

    @Test
    void aWorkerExposesHealthInfoAndPrometheusAndShowsNoDetailsButItsReadiness() throws Exception {
        int port = LocalCluster.managementPort(worker1);
        HttpClient plain = HttpClient.newHttpClient();
        for (String exposed : List.of("health", "info", "prometheus")) {
            assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/" + exposed))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(exposed).isEqualTo(200);
        }
        assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

        JsonNode health = tree(plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.has("components")).as("no details, no disk path: %s", health).isFalse();
        assertThat(tree(health(port, "readiness")).path("components").path("scheduler").path("details")
                .path("scheduler").asText()).endsWith(":" + cluster.rsocketPort);
    }

    private static String workerStatus(String workerId) {
        JsonNode readiness = tree(health(cluster.managementPort, "readiness"));
        return readiness.path("components").path("workers").path("details").path("workers").path(workerId)
                .path("status").asText("");
    }

    static String health(int port, String group) {
        try {
            return http.getForObject("http://localhost:" + port + "/actuator/health/" + group, String.class);
        } catch (HttpServerErrorException down) {
            return down.getResponseBodyAsString();
        }
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Prometheus scheduler() {
        return Prometheus.scrape(cluster.managementPort);
    }

    private static double workers(String metric, Map<String, String> labels) {
        return Prometheus.scrape(LocalCluster.managementPort(worker1)).sum(metric, labels)
                + Prometheus.scrape(LocalCluster.managementPort(worker2)).sum(metric, labels);
    }

    private static TaskSpec echo(int n) {
        return TaskSpec.of("echo", JsonNodeFactory.instance.objectNode().put("n", n));
    }
}
