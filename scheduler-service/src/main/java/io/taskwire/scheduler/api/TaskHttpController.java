package io.taskwire.scheduler.api;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.store.TaskQuery;
import java.time.Duration;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The task half of the HTTP API (PROTOCOL.md section 6). */
@RestController
@RequestMapping("/api/v1/tasks")
class TaskHttpController {

    /** Most tasks one list call returns. */
    static final int MAX_LIST = 1000;

    private final Submissions submissions;

    TaskHttpController(Submissions submissions) {
        this.submissions = submissions;
    }

    /** {@code 202} with the accepted task; with {@code waitMs}, {@code 200} if it ended in time. */
    @PostMapping
    @ApiResponse(responseCode = "202", description = "stored: the task as accepted, or with waitMs not final in time",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TaskView.class)))
    @ApiResponse(responseCode = "200", description = "with waitMs: the task's final view",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TaskView.class)))
    Mono<ResponseEntity<TaskView>> submit(@RequestBody TaskSpec spec, @RequestParam(required = false) Long waitMs) {
        if (waitMs == null) {
            return submissions.submit(spec).map(view -> ResponseEntity.accepted().body(view));
        }
        if (waitMs < 0) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST,
                    "waitMs must be at least 0, was " + waitMs);
        }
        return submissions.submitAndAwait(spec, Duration.ofMillis(waitMs)).map(view -> view.status().isFinal()
                ? ResponseEntity.ok(view) : ResponseEntity.accepted().body(view));
    }

    @PostMapping("/batch")
    @ApiResponse(responseCode = "202", description = "stored, every one: the tasks as accepted, in order",
            content = @Content(mediaType = "application/json",
                    array = @ArraySchema(schema = @Schema(implementation = TaskView.class))))
    Mono<ResponseEntity<List<TaskView>>> submitBatch(@RequestBody List<TaskSpec> specs) {
        return submissions.submitAll(specs).map(views -> ResponseEntity.accepted().body(views));
    }

    @GetMapping("/{taskId}")
    Mono<TaskView> get(@PathVariable String taskId) {
        return submissions.get(taskId);
    }

    @GetMapping
    Mono<List<TaskView>> list(@RequestParam(required = false) TaskStatus status,
                        @RequestParam(required = false) String type,
                        @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST,
                    "limit must lie between 1 and " + MAX_LIST + ", was " + limit);
        }
        return submissions.list(TaskQuery.newest(status, type, limit));
    }

    @PostMapping("/{taskId}/abort")
    Mono<TaskView> abort(@PathVariable String taskId) {
        return submissions.abort(taskId);
    }
}
