package io.taskwire.scheduler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.messages.Json;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.postgres.PostgresServer;
import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.scheduler.dispatch.FakeWorkers;
import io.taskwire.scheduler.leadership.Relaunch;
import io.taskwire.scheduler.support.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under a running scheduler and comes back: the scheduler stays up, refuses
 * new tasks clearly meanwhile, says it is not ready, and goes on by itself afterwards with nothing
 * it acknowledged lost (its lease runs out during a long outage: it steps down, starts again once
 * the database answers, and leads again). The database is a PostgreSQL server of the test's own, stopped and started
 * again; or a PostgreSQL database turned read-only and writable again, or whose disk fills up and is
 * freed.
 */
class StoreOutageTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newHttpClient();
    /** The scheduler, run as its main method runs it: a run that steps down is followed by the next. */
    private Relaunch scheduler;
    private FakeWorkers workers;

    @AfterEach
    void stop() {
        if (workers != null) {
            workers.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void whileTheDatabaseIsDownSubmissionsAreRefusedAndReadinessIsOutOfServiceThenAllResumes() throws Exception {
        Assumptions.assumeTrue(PostgresServer.canStartOwn(),
                "needs Debian's postgresql package, to stop and start a server of its own");
        PostgresServer own = PostgresServer.startOwn();
        PostgresServer.Database database = own.newDatabase();
        startScheduler("--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.user());
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> accepted = submit(i);
            assertThat(accepted.statusCode()).isEqualTo(202);
            before.add(taskId(accepted));
        }
        for (String id : before) {
            await().atMost(WITHIN).until(() -> status(id) == TaskStatus.SUCCEEDED);
        }

        own.stop();

        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> refused = submit(100);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.body()).contains("\"code\":\"UNAVAILABLE\"").contains("task store");
        });
        assertThat(readiness().statusCode()).isEqualTo(503);
        assertThat(readiness().body()).contains("OUT_OF_SERVICE");
        assertThat(liveness().statusCode()).as("liveness stays up").isEqualTo(200);

        own.restart();

        // its lease ran out meanwhile: once the database answers it starts again, and leads again
        await().atMost(WITHIN).ignoreExceptions().until(() -> readiness().statusCode() == 200);
        workers.close();
        workers = new FakeWorkers(port("local.rsocket.server.port"));
        workers.echo("w-outage", "echo");
        HttpResponse<String> after = submit(200);
        assertThat(after.statusCode()).isEqualTo(202);
        await().atMost(WITHIN).until(() -> status(taskId(after)) == TaskStatus.SUCCEEDED);
        for (String id : before) {
            assertThat(status(id)).as("acknowledged before the outage: %s", id).isEqualTo(TaskStatus.SUCCEEDED);
        }
    }

    @Test
    void aDatabaseThatTurnsReadOnlyIsNamedInTheRefusalAndWritableAgainIsUsedAgain() throws Exception {
        PostgresServer.Database database = PostgresServer.shared().newDatabase();
        String name = database.jdbcUrl().substring(database.jdbcUrl().lastIndexOf('/') + 1);
        startScheduler("--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.user());
        assertThat(submit(1).statusCode()).isEqualTo(202);

        readOnly(database, name, true);

        // its lease cannot be renewed either: it steps down, and starts again once the database is writable
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> refused = submit(2);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"code\":\"UNAVAILABLE\"").contains("read-only");
        });

        readOnly(database, name, false);

        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(submit(3).statusCode()).isEqualTo(202));
    }

    @Test
    void aFullDiskIsNamedInTheRefusalNothingRefusedIsStoredAndFreeSpaceIsUsedAgain() throws Exception {
        PostgresServer.Database database = PostgresServer.shared().newDatabase();
        startScheduler("--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.user());
        HttpResponse<String> before = submit(1);
        assertThat(before.statusCode()).isEqualTo(202);
        await().atMost(WITHIN).until(() -> status(taskId(before)) == TaskStatus.SUCCEEDED);

        // PostgreSQL answers every write of a task as it does when the disk is full: SQLSTATE 53100, its own words
        execute(database, "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " RAISE EXCEPTION 'could not extend file \"base/16384/16385\": No space left on device'"
                + " USING ERRCODE = 'disk_full', HINT = 'Check free disk space.'; END $$");
        execute(database, "CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE ON taskwire_task"
                + " FOR EACH STATEMENT EXECUTE FUNCTION disk_full()");

        List<String> refusedBodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> refused = submit(10 + i);
            assertThat(refused.statusCode()).as("nothing is acknowledged while the disk is full").isEqualTo(503);
            refusedBodies.add(refused.body());
        }
        assertThat(refusedBodies).allSatisfy(body -> assertThat(body).contains("\"code\":\"UNAVAILABLE\"")
                .contains("No space left on device").doesNotContain("INSERT INTO"));
        assertThat(count(database)).as("only the task acknowledged before").isEqualTo(1);

        execute(database, "DROP TRIGGER disk_full ON taskwire_task");

        await().atMost(WITHIN).untilAsserted(() -> assertThat(submit(20).statusCode()).isEqualTo(202));
        assertThat(status(taskId(before))).isEqualTo(TaskStatus.SUCCEEDED);
    }

    private static void execute(PostgresServer.Database database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int count(PostgresServer.Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM taskwire_task")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Makes the database read-only (or writable) for new sessions, and ends the scheduler's sessions so that it reconnects. */
    private static void readOnly(PostgresServer.Database database, String name, boolean on) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            // this session too starts read-only once the database is
            statement.execute("SET default_transaction_read_only = off");
            statement.execute("ALTER DATABASE " + name + " SET default_transaction_read_only = " + (on ? "on" : "off"));
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
                    + "' AND pid <> pg_backend_pid()");
        }
    }

    private void startScheduler(String... store) {
        List<String> args = new ArrayList<>(List.of(
                "--" + TestTokens.WORKER_PROPERTY,
                "--" + TestTokens.CLIENT_PROPERTY,
                "--server.port=0",
                "--spring.rsocket.server.port=0",
                "--management.server.port=0",
                "--spring.datasource.hikari.connection-timeout=1000",
                "--taskwire.scheduler.tasks.declared-types=echo"));
        args.addAll(List.of(store));
        scheduler = Relaunch.run(SchedulerApplication::builder, args.toArray(String[]::new));
        workers = new FakeWorkers(port("local.rsocket.server.port"));
        workers.echo("w-outage", "echo");
    }

    private HttpResponse<String> submit(int n) throws Exception {
        return http.send(HttpRequest.newBuilder(api("/api/v1/tasks"))
                .header("Authorization", "Bearer " + TestTokens.CLIENT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"echo\",\"payload\":{\"n\":" + n + "}}"))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private TaskStatus status(String taskId) throws Exception {
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(api("/api/v1/tasks/" + taskId))
                .header("Authorization", "Bearer " + TestTokens.CLIENT).build(), HttpResponse.BodyHandlers.ofString());
        return Json.read(read.body().getBytes(), TaskView.class).status();
    }

    private static String taskId(HttpResponse<String> accepted) {
        return Json.read(accepted.body().getBytes(), TaskView.class).taskId();
    }

    private HttpResponse<String> readiness() throws Exception {
        return health("readiness");
    }

    private HttpResponse<String> liveness() throws Exception {
        return health("liveness");
    }

    private HttpResponse<String> health(String probe) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port("local.management.port")
                        + "/actuator/health/" + probe))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI api(String path) {
        return URI.create("http://localhost:" + port("local.server.port") + path);
    }

    /** @return a port the current run of the scheduler listens on */
    private int port(String property) {
        return Integer.parseInt(scheduler.current().getEnvironment().getProperty(property));
    }
}
