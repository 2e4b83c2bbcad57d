package io.taskwire.scheduler.console.tasks;

import io.taskwire.scheduler.console.ConsoleSession;
import io.taskwire.scheduler.console.ConsoleStreams;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.api.Submissions;
import io.taskwire.scheduler.security.Roles;
import io.taskwire.scheduler.store.TaskQuery;
import io.taskwire.scheduler.store.TaskQuery.Position;
import io.taskwire.scheduler.task.Task;
import io.taskwire.scheduler.task.TaskLedger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import reactor.core.publisher.Flux;

/**
 * The console's tasks: a list filtered by status, type and creation time, in either order, paged
 * by cursor and kept current over SSE; a task's detail; and, for a client's session, abort, run
 * again (a new task from the same spec) and run again every failed task of a type, after a
 * confirmation. Every action goes through {@link Submissions}, as the API's do.
 *
 * <p>A run again carries an idempotency key made of a nonce the page was rendered with and the
 * original task's id: a form sent twice (a double click, a reload) starts one task per original.
 */
@Controller
@RequestMapping("/console/tasks")
class ConsoleTasks {

    /** Tasks a page shows. */
    static final int PAGE = 50;
    /** The most failed tasks one "run again all failed" starts. */
    static final int MAX_RUN_AGAIN = 1000;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SecureRandom NONCES = new SecureRandom();

    private final Submissions submissions;
    private final TaskLedger ledger;
    private final ConsoleStreams streams;

    ConsoleTasks(Submissions submissions, TaskLedger ledger, ConsoleStreams streams) {
        this.submissions = submissions;
        this.ledger = ledger;
        this.streams = streams;
    }

    @GetMapping
    String list(TaskFilter filter, Model model, Authentication user) {
        model.addAttribute("statuses", TaskStatus.values());
        model.addAttribute("filter", filter);
        table(filter, model, user);
        return "console/tasks";
    }

    /** The table alone, for the page to swap in when its stream says the tasks changed. */
    @GetMapping("/table")
    String table(TaskFilter filter, Model model, Authentication user) {
        model.addAttribute("filter", filter);
        model.addAttribute("query", filter.queryString());
        ConsoleSession.describe(model, user);
        try {
            TaskQuery query = filter.query();
            List<TaskView> tasks = submissions.list(query).block(WAIT);
            model.addAttribute("tasks", tasks);
            if (tasks.size() == query.limit()) {
                TaskView last = tasks.get(tasks.size() - 1);
                model.addAttribute("next", new Position(last.createdAt(), last.taskId()).cursor());
            }
        } catch (ProtocolException refused) {
            model.addAttribute("tasks", List.of());
            model.addAttribute("listError", ConsoleSession.said(refused));
        }
        return "console/tasks :: table";
    }

    /**
     * Tells the list that tasks changed, at most once a second; the page then fetches its table.
     * Only the first page listens: a later page is a fixed look into the past.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> stream() {
        return streams.signals("tasks", streams.taskChanges());
    }

    @GetMapping("/{taskId}")
    String detail(@PathVariable String taskId, Model model, Authentication user) {
        detailFragment(taskId, model, user);
        return "console/task";
    }

    /** The task's details alone, for the page to swap in as the task changes. */
    @GetMapping("/{taskId}/detail")
    String detailFragment(@PathVariable String taskId, Model model, Authentication user) {
        ConsoleSession.describe(model, user);
        model.addAttribute("taskId", taskId);
        model.addAttribute("nonce", nonce());
        try {
            model.addAttribute("task", ledger.get(taskId).block(WAIT).row());
        } catch (ProtocolException missing) {
            model.addAttribute("missing", ConsoleSession.said(missing));
        }
        return "console/task :: detail";
    }

    /**
     * Tells a task's page that the task changed, at most once a second, until its final state; for a
     * task already final (or not held), 204: the page then fetches the task once, and the final
     * detail it gets holds no stream.
     */
    @GetMapping(path = "/{taskId}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<Flux<ServerSentEvent<String>>> taskStream(@PathVariable String taskId) {
        return ledger.find(taskId).filter(task -> !task.status().isFinal())
                .map(task -> ResponseEntity.ok(streams.signals("task", ledger.watch(task))))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/{taskId}/abort")
    String abort(@PathVariable String taskId, RedirectAttributes said) {
        try {
            TaskView aborted = submissions.abort(taskId).block(WAIT);
            said.addFlashAttribute("message", aborted.status() == TaskStatus.ABORTED
                    ? "Aborted " + taskId : taskId + " had already ended: " + aborted.status());
        } catch (ProtocolException refused) {
            said.addFlashAttribute("error", ConsoleSession.said(refused));
        }
        return "redirect:/console/tasks/" + taskId;
    }

    @PostMapping("/{taskId}/run-again")
    String runAgain(@PathVariable String taskId, @RequestParam String nonce, RedirectAttributes said) {
        try {
            Task original = ledger.get(taskId).block(WAIT);
            TaskView again = submissions.submit(again(original.spec(), nonce, taskId)).block(WAIT);
            said.addFlashAttribute("message", "A new task runs " + taskId + " again");
            return "redirect:/console/tasks/" + again.taskId();
        } catch (ProtocolException refused) {
            said.addFlashAttribute("error", ConsoleSession.said(refused));
            return "redirect:/console/tasks/" + taskId;
        }
    }

    /** Asks before running again the failed tasks of a type: how many there are, and what follows. */
    @GetMapping("/run-again-failed")
    String confirmRunAgainFailed(@RequestParam String type, Model model, Authentication user) {
        Instant upTo = Instant.now();
        ConsoleSession.describe(model, user);
        model.addAttribute("type", type);
        model.addAttribute("upTo", upTo);
        model.addAttribute("nonce", nonce());
        model.addAttribute("max", MAX_RUN_AGAIN);
        try {
            model.addAttribute("count", failed(type, upTo).size());
        } catch (ProtocolException refused) {
            model.addAttribute("count", 0);
            model.addAttribute("error", ConsoleSession.said(refused));
        }
        return "console/run-again-failed";
    }

    /**
     * Runs again the failed tasks the confirmation counted: those created before it was shown, so
     * that the new tasks, should they fail too, are not run again by the same form sent twice.
     */
    @PostMapping("/run-again-failed")
    String runAgainFailed(@RequestParam String type, @RequestParam Instant upTo, @RequestParam String nonce,
                          RedirectAttributes said) {
        try {
            List<Task> failed = failed(type, upTo);
            List<TaskSpec> specs = new ArrayList<>(failed.size());
            failed.forEach(task -> specs.add(again(task.spec(), nonce, task.id())));
            // at most MAX_RUN_AGAIN, well within one batch
            int started = specs.isEmpty() ? 0 : submissions.submitAll(specs).block(WAIT).size();
            said.addFlashAttribute("message", started == 0 ? "No failed task of type " + type
                    : "Running again " + started + " failed task" + (started == 1 ? "" : "s") + " of type " + type);
        } catch (ProtocolException refused) {
            said.addFlashAttribute("error", ConsoleSession.said(refused));
        }
        return "redirect:/console/tasks?type=" + URLEncoder.encode(type, StandardCharsets.UTF_8);
    }

    private List<Task> failed(String type, Instant createdBefore) {
        if (type.isBlank()) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "type must name a task type");
        }
        return ledger.list(new TaskQuery(TaskStatus.FAILED, type, null, createdBefore, null, false, MAX_RUN_AGAIN))
                .block(WAIT);
    }

    /** The spec of a task that runs {@code taskId} again: the same, under a key of this run again's. */
    private static TaskSpec again(TaskSpec spec, String nonce, String taskId) {
        if (!nonce.matches("[0-9a-f]{16}")) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "nonce must be the one the page gave");
        }
        return new TaskSpec(spec.type(), spec.payload(), "again:" + nonce + ":" + taskId, spec.key(), spec.timeoutMs(),
                spec.maxAttempts(), spec.awaitMs(), spec.routing());
    }

    private static String nonce() {
        byte[] bytes = new byte[8];
        NONCES.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The list's filter as the page's form sends it: every field optional, times in UTC as a
     * {@code datetime-local} input gives them, {@code after} a cursor from the previous page.
     */
    public record TaskFilter(String status, String type, String from, String to, String order, String after) {

        TaskQuery query() {
            TaskStatus wanted = null;
            if (present(status)) {
                try {
                    wanted = TaskStatus.valueOf(status);
                } catch (IllegalArgumentException unknown) {
                    throw new ProtocolException(ErrorCode.INVALID_REQUEST, "status is not a task status: " + status);
                }
            }
            TaskQuery query = new TaskQuery(wanted, present(type) ? type.trim() : null, instant(from, "from"),
                    instant(to, "to"), null, "oldest".equals(order), PAGE);
            return present(after) ? query.after(Position.parse(after)) : query;
        }

        public boolean firstPage() {
            return !present(after);
        }

        /** @return the filter as a query string, without the cursor: what each page of it shares */
        public String queryString() {
            StringBuilder query = new StringBuilder();
            append(query, "status", status);
            append(query, "type", type);
            append(query, "from", from);
            append(query, "to", to);
            append(query, "order", order);
            return query.toString();
        }

        private static void append(StringBuilder query, String name, String value) {
            if (present(value)) {
                query.append(query.isEmpty() ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
            }
        }

        private static Instant instant(String value, String field) {
            if (!present(value)) {
                return null;
            }
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notATime) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST,
                        field + " must be a time as yyyy-MM-ddTHH:mm (UTC), was " + value);
            }
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }
    }
}
