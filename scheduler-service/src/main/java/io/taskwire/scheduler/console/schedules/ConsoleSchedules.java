package io.taskwire.scheduler.console.schedules;

import io.taskwire.scheduler.console.ConsoleSession;
import io.taskwire.scheduler.console.ConsoleStreams;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.api.Submissions;
import io.taskwire.scheduler.schedule.Schedules;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The console's schedules as they are: the list, searchable by id and task type, with each one's
 * next fire time and its last task's outcome; and one schedule's page with its next fire times and
 * recent tasks. What is done to them is {@link ConsoleScheduleActions} and {@link ConsoleScheduleForm}.
 */
@Controller
@RequestMapping("/console/schedules")
class ConsoleSchedules {

    /** Most schedules the list shows; a search finds the others. */
    static final int SHOWN = 200;
    /** How long a page waits for the store. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private final Schedules schedules;
    private final Submissions tasks;
    private final ConsoleStreams streams;

    ConsoleSchedules(Schedules schedules, Submissions tasks, ConsoleStreams streams) {
        this.schedules = schedules;
        this.tasks = tasks;
        this.streams = streams;
    }

    /** One row of the list: the schedule and its last task as it is now, if that is known. */
    record Line(ScheduleView schedule, TaskView last) {

        /** @return when it fires, as "0 2 * * * Europe/Berlin" or "every 5 min" */
        public String when() {
            ScheduleSpec spec = schedule.spec();
            return spec.cron() != null ? spec.cron() + " " + spec.timeZone()
                    : "every " + ScheduleForm.Unit.format(spec.everyMs());
        }
    }

    @GetMapping({"", "/"})
    String list(@RequestParam(defaultValue = "") String q, Model model, Authentication user) {
        ConsoleSession.describe(model, user);
        table(q, model);
        return "console/schedules";
    }

    /** The list's table alone, for the search box and the reload to swap in. */
    @GetMapping("/table")
    String table(@RequestParam(defaultValue = "") String q, Model model, Authentication user) {
        ConsoleSession.describe(model, user);
        table(q, model);
        return "console/schedules :: table";
    }

    /**
     * Tells the list to fetch its table when a schedule changes (put, paused, resumed, deleted) or a
     * task does (a fire, an outcome), at most once a second.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> stream() {
        return streams.signals("schedules", Flux.merge(schedules.changes(), streams.taskChanges()));
    }

    private void table(String q, Model model) {
        model.addAttribute("q", q);
        try {
            List<ScheduleView> found = schedules.list(matching(q), SHOWN + 1);
            model.addAttribute("more", found.size() > SHOWN);
            model.addAttribute("lines", lines(found.subList(0, Math.min(SHOWN, found.size()))));
        } catch (ProtocolException refused) {
            model.addAttribute("more", false);
            model.addAttribute("lines", List.of());
            model.addAttribute("refused", ConsoleSession.said(refused));
        }
    }

    /** @return whether a schedule's id or task type contains the text, in any case */
    static Predicate<ScheduleSpec> matching(String q) {
        String text = q.trim().toLowerCase(Locale.ROOT);
        return spec -> spec.scheduleId().toLowerCase(Locale.ROOT).contains(text)
                || spec.task().type().toLowerCase(Locale.ROOT).contains(text);
    }

    private List<Line> lines(List<ScheduleView> views) {
        Map<String, TaskView> last = Flux.fromIterable(views)
                .filter(view -> view.lastTaskId() != null)
                // a task no longer known (aged out of the store) shows without its outcome
                .flatMap(view -> tasks.get(view.lastTaskId()).onErrorResume(ProtocolException.class, gone -> Mono.empty()), 8)
                .collectMap(TaskView::taskId)
                .blockOptional(WAIT).orElse(Map.of());
        return views.stream().map(view -> new Line(view, view.lastTaskId() == null ? null : last.get(view.lastTaskId())))
                .toList();
    }

    @GetMapping("/{scheduleId}")
    String detail(@PathVariable String scheduleId, Model model, Authentication user, RedirectAttributes said) {
        ConsoleSession.describe(model, user);
        Optional<ScheduleView> view = read(scheduleId, said);
        if (view.isEmpty()) {
            return "redirect:/console/schedules";
        }
        model.addAttribute("schedule", view.get());
        model.addAttribute("line", new Line(view.get(), null));
        return "console/schedule";
    }

    /** Asks whether to delete: the schedule's page with a confirmation in place of its actions. */
    @GetMapping("/{scheduleId}/delete")
    String confirmDelete(@PathVariable String scheduleId, Model model, Authentication user, RedirectAttributes said) {
        model.addAttribute("confirmDelete", true);
        return detail(scheduleId, model, user, said);
    }

    private Optional<ScheduleView> read(String scheduleId, RedirectAttributes said) {
        try {
            return schedules.get(scheduleId).blockOptional(WAIT);
        } catch (ProtocolException refused) {
            said.addFlashAttribute("error", ConsoleSession.said(refused));
            return Optional.empty();
        }
    }
}
