package io.taskwire.scheduler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ScheduleQuery;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.schedule.Schedules;
import java.util.List;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The schedule half of the HTTP API (PROTOCOL.md sections 6 and 8). */
@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleHttpController {

    private final Schedules schedules;
    private final Submissions submissions;

    ScheduleHttpController(Schedules schedules, Submissions submissions) {
        this.schedules = schedules;
        this.submissions = submissions;
    }

    /**
     * Creates or replaces the schedule; the body's {@code scheduleId} may be left out, and must be the
     * path's when given. With {@code dryRun=true} nothing is stored: the answer shows the schedule as
     * it would be, with its next fire times.
     */
    @PutMapping("/{scheduleId}")
    Mono<ScheduleView> put(@PathVariable String scheduleId,
                           // read as a tree, so that the body may leave out the id; described as what it is
                           @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                   schema = @Schema(implementation = ScheduleSpec.class))) @RequestBody JsonNode body,
                           @RequestParam(defaultValue = "false") boolean dryRun) {
        ScheduleSpec spec = spec(scheduleId, body);
        submissions.check(spec.task(), "task.");
        return schedules.put(spec, dryRun);
    }

    @GetMapping
    List<ScheduleView> list(@RequestParam(defaultValue = "" + ScheduleQuery.DEFAULT_LIMIT) int limit) {
        return schedules.list(new ScheduleQuery(limit).limit());
    }

    @GetMapping("/{scheduleId}")
    Mono<ScheduleView> get(@PathVariable String scheduleId) {
        return schedules.get(scheduleId);
    }

    @DeleteMapping("/{scheduleId}")
    Mono<ScheduleView> delete(@PathVariable String scheduleId) {
        return schedules.delete(scheduleId);
    }

    @PostMapping("/{scheduleId}/pause")
    Mono<ScheduleView> pause(@PathVariable String scheduleId) {
        return schedules.pause(scheduleId);
    }

    @PostMapping("/{scheduleId}/resume")
    Mono<ScheduleView> resume(@PathVariable String scheduleId) {
        return schedules.resume(scheduleId);
    }

    @PostMapping("/{scheduleId}/trigger")
    Mono<TaskView> trigger(@PathVariable String scheduleId) {
        return schedules.trigger(scheduleId);
    }

    private static ScheduleSpec spec(String scheduleId, JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "the request body must be a ScheduleSpec object");
        }
        JsonNode given = object.get("scheduleId");
        if (given == null || given.isNull()) {
            object.put("scheduleId", scheduleId);
        } else if (!given.isTextual() || !given.asText().equals(scheduleId)) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "scheduleId: the body's " + given
                    + " is not the path's '" + scheduleId + "'");
        }
        try {
            return Json.mapper().treeToValue(object, ScheduleSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw Json.invalid("request body", e);
        }
    }
}
