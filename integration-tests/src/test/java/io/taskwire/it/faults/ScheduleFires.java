package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.it.Tokens;
import io.taskwire.messages.Json;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A schedule of a scheduler process, through its HTTP API (PROTOCOL.md sections 6 and 8), and the
 * tasks it fired as its store holds them. No part of the API tells which fire time a task was made
 * for (a {@link TaskView} carries no idempotency key), so {@link #firedBy} reads the task rows'
 * idempotency keys, {@code schedule:<id>:<fire time>}: the fire time each task was stored for.
 */
final class ScheduleFires {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The fire time in a key: ISO UTC with exactly three fractional digits (section 8). */
    private static final Pattern KEY_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    private ScheduleFires() {
    }

    /**
     * One task a schedule fired, as stored.
     *
     * @param taskId its id
     * @param fireAt the fire time its idempotency key names
     * @param createdAt when the scheduler created it, on its clock
     * @param status its status in the store
     */
    record Fired(String taskId, Instant fireAt, Instant createdAt, TaskStatus status) {

        /** @return how long after its fire time the task was made */
        Duration lag() {
            return Duration.between(fireAt, createdAt);
        }
    }

    /** {@code PUT /api/v1/schedules/{id}}: must answer 200. */
    static ScheduleView put(SchedulerProcess scheduler, String scheduleId, String specJson) throws Exception {
        return Json.read(call(scheduler, "PUT", "/api/v1/schedules/" + scheduleId, specJson).getBytes(StandardCharsets.UTF_8),
                ScheduleView.class);
    }

    /** {@code GET /api/v1/schedules/{id}}, with its recent tasks and next fire times: must answer 200. */
    static ScheduleView get(SchedulerProcess scheduler, String scheduleId) throws Exception {
        return Json.read(scheduler.get("/api/v1/schedules/" + scheduleId).getBytes(StandardCharsets.UTF_8),
                ScheduleView.class);
    }

    /** {@code POST /api/v1/schedules/{id}/pause}: must answer 200. */
    static ScheduleView pause(SchedulerProcess scheduler, String scheduleId) throws Exception {
        return Json.read(call(scheduler, "POST", "/api/v1/schedules/" + scheduleId + "/pause", "")
                .getBytes(StandardCharsets.UTF_8), ScheduleView.class);
    }

    /** @return the tasks the schedule fired, from the tasks list of the HTTP API (newest 1,000 tasks of all) */
    static List<TaskView> listed(SchedulerProcess scheduler, String scheduleId) throws Exception {
        List<TaskView> all = scheduler.tasks();
        assertThat(all).as("the tasks list holds fewer than its limit, so none is left out").hasSizeLessThan(1000);
        return all.stream().filter(view -> scheduleId.equals(view.scheduleId())).toList();
    }

    /**
     * @return every task the schedule fired, from the store's task rows, oldest first; the fire time
     *         of each is read from its idempotency key, whose form is checked
     */
    static List<Fired> firedBy(DataSource store, String scheduleId) throws SQLException {
        String prefix = "schedule:" + scheduleId + ":";
        List<Fired> fired = new ArrayList<>();
        try (Connection connection = store.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT id, idempotency_key, created_at, status"
                     + " FROM taskwire_task WHERE schedule_id = ? ORDER BY created_at, id")) {
            query.setString(1, scheduleId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString("idempotency_key");
                    assertThat(key).as("idempotency key of task %s", rows.getString("id")).startsWith(prefix);
                    String time = key.substring(prefix.length());
                    Matcher matcher = KEY_TIME.matcher(time);
                    assertThat(matcher.matches()).as("the fire time in key '%s': ISO UTC, three fractional digits", key)
                            .isTrue();
                    fired.add(new Fired(rows.getString("id"), Instant.parse(time),
                            rows.getObject("created_at", OffsetDateTime.class).toInstant(),
                            TaskStatus.valueOf(rows.getString("status"))));
                }
            }
        }
        return fired;
    }

    private static String call(SchedulerProcess scheduler, String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + scheduler.httpPort + path))
                .header("Authorization", "Bearer " + Tokens.CLIENT)
                .header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
        return response.body();
    }
}
