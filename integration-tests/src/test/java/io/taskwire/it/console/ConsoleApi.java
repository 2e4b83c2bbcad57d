package io.taskwire.it.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskwire.it.Tokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestTemplate;

/**
 * The scheduler's HTTP API with the client token, as another program uses it while a test watches
 * the console: tasks submitted, looked up and listed, schedules put and read.
 */
final class ConsoleApi {

    private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST = new ParameterizedTypeReference<>() {
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestTemplate http = Tokens.http();
    private final String origin;

    ConsoleApi(String origin) {
        this.origin = origin;
    }

    /** @return a name no other test uses, for a schedule or an idempotency key */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Submits an {@code echo} task; @return its id */
    String echo(Map<String, Object> payload) {
        return submit(Map.of("type", "echo", "payload", payload));
    }

    /** Submits a {@code sleep} task of that many milliseconds; @return its id */
    String sleep(long ms) {
        return submit(Map.of("type", "sleep", "payload", Map.of("ms", ms)));
    }

    /** Submits a task spec given as JSON members; @return its id */
    String submit(Map<String, Object> spec) {
        Map<?, ?> view = http.postForObject(origin + "/api/v1/tasks", json(spec), Map.class);
        return (String) view.get("taskId");
    }

    /** @return the task's status now, such as {@code RUNNING} */
    String status(String taskId) {
        return (String) http.getForObject(origin + "/api/v1/tasks/" + taskId, Map.class).get("status");
    }

    /** @return the tasks of that type, newest first */
    List<Map<String, Object>> tasks(String type) {
        return http.exchange(origin + "/api/v1/tasks?type={type}&limit=1000", HttpMethod.GET, null, LIST, type).getBody();
    }

    /** Creates or replaces a schedule, given as JSON members. */
    void putSchedule(String scheduleId, Map<String, Object> spec) {
        http.exchange(origin + "/api/v1/schedules/" + scheduleId, HttpMethod.PUT, json(spec), Map.class);
    }

    /** A body of known length: the API refuses a chunked one. */
    private static HttpEntity<String> json(Map<String, Object> members) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        try {
            return new HttpEntity<>(JSON.writeValueAsString(members), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Aborts a task. */
    void abort(String taskId) {
        http.postForEntity(origin + "/api/v1/tasks/" + taskId + "/abort", null, Map.class);
    }

    /** @return whether a schedule of that id exists */
    boolean scheduleExists(String scheduleId) {
        try {
            schedule(scheduleId);
            return true;
        } catch (HttpClientErrorException.NotFound missing) {
            return false;
        }
    }

    /** @return the schedule as the API shows it (null members left out) */
    Map<?, ?> schedule(String scheduleId) {
        return http.getForObject(origin + "/api/v1/schedules/" + scheduleId, Map.class);
    }
}
