package io.taskwire.scheduler.console.schedules;

import io.taskwire.scheduler.console.ConsoleSession;
import io.taskwire.messages.ProtocolException;
import io.taskwire.scheduler.schedule.Schedules;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import reactor.core.publisher.Mono;

/**
 * What a client's session does to a schedule from the console: pause, resume, trigger and delete,
 * through {@link Schedules} as the API does them, each answered on the list with what happened or
 * the error as the API names it. A viewer's session gets here never: the security chain refuses its POSTs.
 */
@Controller
@RequestMapping("/console/schedules")
class ConsoleScheduleActions {

    private final Schedules schedules;

    ConsoleScheduleActions(Schedules schedules) {
        this.schedules = schedules;
    }

    @PostMapping("/{scheduleId}/pause")
    String pause(@PathVariable String scheduleId, @RequestParam(defaultValue = "") String q, RedirectAttributes said) {
        return act(() -> schedules.pause(scheduleId), scheduleId + " is paused: it fires nothing until resumed", q, said);
    }

    @PostMapping("/{scheduleId}/resume")
    String resume(@PathVariable String scheduleId, @RequestParam(defaultValue = "") String q, RedirectAttributes said) {
        return act(() -> schedules.resume(scheduleId), scheduleId + " is active again", q, said);
    }

    @PostMapping("/{scheduleId}/trigger")
    String trigger(@PathVariable String scheduleId, @RequestParam(defaultValue = "") String q, RedirectAttributes said) {
        return act(() -> schedules.trigger(scheduleId).map(task -> "Triggered " + scheduleId + ": task " + task.taskId()),
                null, q, said);
    }

    @PostMapping("/{scheduleId}/delete")
    String delete(@PathVariable String scheduleId, RedirectAttributes said) {
        return act(() -> schedules.delete(scheduleId), "Deleted " + scheduleId + "; the tasks it fired stay", "", said);
    }

    /**
     * @param done the message once done; null to show what the action answered
     * @param q the search to go back to
     */
    private static String act(Supplier<Mono<?>> action, String done, String q, RedirectAttributes said) {
        try {
            Object answer = action.get().block(ConsoleSchedules.WAIT);
            said.addFlashAttribute("message", done != null ? done : answer);
        } catch (ProtocolException refused) {
            said.addFlashAttribute("error", ConsoleSession.said(refused));
        }
        if (!q.isBlank()) {
            said.addAttribute("q", q);
        }
        return "redirect:/console/schedules";
    }
}
