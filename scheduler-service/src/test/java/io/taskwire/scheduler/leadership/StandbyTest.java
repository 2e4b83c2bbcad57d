package io.taskwire.scheduler.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.postgres.PostgresServer;
import io.taskwire.scheduler.connection.RawSetup;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.support.FakeWorker;
import io.taskwire.scheduler.support.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import io.taskwire.scheduler.store.SchedulerSeen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two schedulers on one PostgreSQL database (PROTOCOL.md section 7): one leads, the other is a
 * standby that refuses workers and clients and names the leader; when the leader stops, the
 * standby takes the lead with every task the leader acknowledged; a leader whose lead is taken
 * steps down, and its writes change nothing.
 */
class StandbyTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ConfigurableApplicationContext> schedulers = new ArrayList<>();
    private final List<FakeWorkers> workers = new ArrayList<>();
    private final PostgresServer.Database database = PostgresServer.shared().newDatabase();

    @AfterEach
    void stop() {
        workers.forEach(FakeWorkers::close);
        schedulers.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aSecondSchedulerOnTheSameStoreIsAStandbyThatRefusesWorkersAndClientsAndNamesTheLeader() throws Exception {
        ConfigurableApplicationContext leader = start("leader.example:7000");
        ConfigurableApplicationContext standby = start("standby.example:7000");

        assertThat(readiness(leader).statusCode()).isEqualTo(200);
        assertThat(readiness(standby).statusCode()).isEqualTo(503);
        assertThat(readiness(standby).body()).contains("OUT_OF_SERVICE");
        assertThat(health(standby, "liveness").statusCode()).as("a standby is live").isEqualTo(200);

        HttpResponse<String> refused = submit(standby, 1);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = Json.mapper().readTree(refused.body());
        assertThat(problem.path("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(problem.path("leader").asText()).isEqualTo("leader.example:7000");

        ProtocolException setupRefusal = RawSetup.rejectionOf(RawSetup.withHello(FakeWorker.hello("w-1", 4, "echo"))
                .connect(rsocketPort(standby)));
        assertThat(setupRefusal.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(setupRefusal.detail()).contains("standby").contains("leader.example:7000");

        assertThat(submit(leader, 2).statusCode()).as("the leader takes tasks").isEqualTo(202);
        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(leader.getBean(Schedulers.class).others()).as("the leader's standbys")
                    .extracting(SchedulerSeen::address, SchedulerSeen::role).containsExactly(tuple("standby.example:7000", "STANDBY"));
            assertThat(standby.getBean(Schedulers.class).others()).as("the standby's leader")
                    .extracting(SchedulerSeen::address, SchedulerSeen::role).containsExactly(tuple("leader.example:7000", "LEADER"));
        });
    }

    @Test
    void whenTheLeaderStopsTheStandbyLeadsWithEveryTaskTheLeaderAcknowledgedAndRunsThem() throws Exception {
        ConfigurableApplicationContext leader = start("leader.example:7000");
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> accepted = submit(leader, i);
            assertThat(accepted.statusCode()).isEqualTo(202);
            acknowledged.add(Json.read(accepted.body().getBytes(), TaskView.class).taskId());
        }
        ConfigurableApplicationContext standby = start("standby.example:7000");
        assertThat(readiness(standby).statusCode()).isEqualTo(503);

        long stoppedAt = System.nanoTime();
        leader.close(); // gives the lead up

        await().atMost(WITHIN).until(() -> readiness(standby).statusCode() == 200);
        long tookOverMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        assertThat(tookOverMs).as("a lead given up is taken within a renewal interval or so").isLessThan(5_000);
        await("a scheduler that stops says so").atMost(WITHIN).until(() -> standby.getBean(Schedulers.class).others().isEmpty());
        FakeWorkers fleet = new FakeWorkers(rsocketPort(standby));
        workers.add(fleet);
        fleet.echo("w-after", "echo");
        for (String id : acknowledged) {
            await().atMost(WITHIN).until(() -> status(standby, id) == TaskStatus.SUCCEEDED);
        }
    }

    @Test
    void aLeaderWhoseLeadIsTakenStepsDownAndItsWritesChangeNothing() throws Exception {
        ConfigurableApplicationContext leader = start("leader.example:7000");
        HttpResponse<String> accepted = submit(leader, 1);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = Json.read(accepted.body().getBytes(), TaskView.class).taskId();

        // another scheduler takes the lead (as one does once the leader's lease has run out)
        execute("UPDATE taskwire_leader SET holder = 'intruder', address = 'intruder.example:7000',"
                + " epoch = epoch + 1, expires_at = clock_timestamp() + INTERVAL '10 minutes'");

        await().atMost(WITHIN).until(() -> !leader.isActive());
        assertThat(statusInStore(id)).isEqualTo("PENDING");
        assertThat(count()).isEqualTo(1);
    }

    /**
     * Starts a scheduler whose Reactor Netty resources are its own: with the global ones (Boot's
     * default), closing one scheduler of this JVM would close the other's RSocket server too.
     */
    private ConfigurableApplicationContext start(String advertised) {
        ConfigurableApplicationContext scheduler = SharedStore.start(database, advertised);
        schedulers.add(scheduler);
        return scheduler;
    }

    private HttpResponse<String> submit(ConfigurableApplicationContext scheduler, int n) throws Exception {
        return http.send(HttpRequest.newBuilder(api(scheduler, "/api/v1/tasks"))
                .header("Authorization", "Bearer " + TestTokens.CLIENT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"echo\",\"payload\":{\"n\":" + n + "}}"))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private TaskStatus status(ConfigurableApplicationContext scheduler, String taskId) throws Exception {
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(api(scheduler, "/api/v1/tasks/" + taskId))
                .header("Authorization", "Bearer " + TestTokens.CLIENT).build(), HttpResponse.BodyHandlers.ofString());
        return Json.read(read.body().getBytes(), TaskView.class).status();
    }

    private HttpResponse<String> readiness(ConfigurableApplicationContext scheduler) throws Exception {
        return health(scheduler, "readiness");
    }

    private HttpResponse<String> health(ConfigurableApplicationContext scheduler, String probe) throws Exception {
        String port = scheduler.getEnvironment().getProperty("local.management.port");
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/" + probe))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI api(ConfigurableApplicationContext scheduler, String path) {
        return URI.create("http://localhost:" + scheduler.getEnvironment().getProperty("local.server.port") + path);
    }

    private static int rsocketPort(ConfigurableApplicationContext scheduler) {
        return Integer.parseInt(scheduler.getEnvironment().getProperty("local.rsocket.server.port"));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String statusInStore(String taskId) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT status FROM taskwire_task WHERE id = '" + taskId + "'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private int count() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM taskwire_task")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
