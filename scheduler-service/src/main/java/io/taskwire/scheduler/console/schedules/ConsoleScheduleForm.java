package io.taskwire.scheduler.console.schedules;

import io.taskwire.scheduler.console.ConsoleSession;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.InvalidMessageException;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskSpec;
import io.taskwire.scheduler.api.Submissions;
import io.taskwire.scheduler.schedule.Schedules;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's form for a schedule, new or edited, with a preview of its next fire times that the
 * page asks for as the user types; saving puts the schedule through {@link Schedules} with the
 * API's checks. Only a client's session gets the form.
 */
@Controller
@RequestMapping("/console/schedules")
class ConsoleScheduleForm {

    private static final List<String> ZONES = List.copyOf(new TreeSet<>(ZoneId.getAvailableZoneIds()));
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss z");

    private final Schedules schedules;
    private final Submissions tasks;

    ConsoleScheduleForm(Schedules schedules, Submissions tasks) {
        this.schedules = schedules;
        this.tasks = tasks;
    }

    /** A fire time, and how it reads on the schedule's clock. */
    record FireTime(Instant at, String local) {
    }

    @GetMapping("/new")
    String create(Model model, Authentication user, RedirectAttributes said) {
        return form(ScheduleForm.blank(), false, model, user, said);
    }

    @GetMapping("/{scheduleId}/edit")
    String edit(@PathVariable String scheduleId, Model model, Authentication user, RedirectAttributes said) {
        try {
            ScheduleView view = schedules.get(scheduleId).block(ConsoleSchedules.WAIT);
            return form(ScheduleForm.of(view.spec()), true, model, user, said);
        } catch (ProtocolException refused) {
            said.addFlashAttribute("error", ConsoleSession.said(refused));
            return "redirect:/console/schedules";
        }
    }

    private String form(ScheduleForm form, boolean editing, Model model, Authentication user, RedirectAttributes said) {
        if (!ConsoleSession.mayAct(user)) {
            said.addFlashAttribute("error", "A viewer's session changes nothing: log in with a client token to edit schedules");
            return "redirect:/console/schedules";
        }
        ConsoleSession.describe(model, user);
        model.addAttribute("form", form);
        model.addAttribute("editing", editing);
        model.addAttribute("units", ScheduleForm.Unit.values());
        model.addAttribute("zones", ZONES);
        model.addAttribute("misfires", MisfirePolicy.values());
        model.addAttribute("overlaps", OverlapPolicy.values());
        return "console/schedule-form";
    }

    /** The next fire times of the spec as it would be stored, or what is wrong with it. */
    @PostMapping("/preview")
    String preview(ScheduleForm form, Model model) {
        try {
            ScheduleSpec spec = form.toSpec(null);
            tasks.check(spec.task(), "task.");
            ScheduleView view = schedules.put(spec, true).block(ConsoleSchedules.WAIT);
            ZoneId zone = ZoneId.of(spec.timeZone());
            model.addAttribute("times", view.nextFireTimes().stream()
                    .map(at -> new FireTime(at, ZonedDateTime.ofInstant(at, zone).format(LOCAL))).toList());
            model.addAttribute("paused", spec.paused());
        } catch (ProtocolException | InvalidMessageException refused) {
            model.addAttribute("refused", ConsoleSession.said(refused));
        }
        return "console/schedule-form :: preview";
    }

    /**
     * Puts the schedule: a new one only under an id no schedule has, an edited one keeping its count,
     * last task and the task options the form does not show.
     */
    @PostMapping({"", "/"})
    String save(ScheduleForm form, @RequestParam(defaultValue = "false") boolean editing, Model model,
                Authentication user, RedirectAttributes said) {
        try {
            Optional<TaskSpec> kept = existing(form.scheduleId()).map(view -> view.spec().task());
            if (!editing && kept.isPresent()) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST, "scheduleId: a schedule '" + form.scheduleId().trim()
                        + "' exists already; edit it instead");
            }
            ScheduleSpec spec = form.toSpec(kept.orElse(null));
            tasks.check(spec.task(), "task.");
            ScheduleView saved = schedules.put(spec, false).block(ConsoleSchedules.WAIT);
            said.addFlashAttribute("message", "Saved " + saved.scheduleId() + (saved.nextFireAt() == null ? ""
                    : ": it fires next at " + saved.nextFireAt()));
            said.addAttribute("id", saved.scheduleId());
            return "redirect:/console/schedules/{id}";
        } catch (ProtocolException | InvalidMessageException refused) {
            model.addAttribute("error", ConsoleSession.said(refused));
            return form(form, editing, model, user, said);
        }
    }

    private Optional<ScheduleView> existing(String scheduleId) {
        if (scheduleId == null || scheduleId.isBlank()) {
            return Optional.empty();
        }
        try {
            return schedules.get(scheduleId.trim()).blockOptional(ConsoleSchedules.WAIT);
        } catch (ProtocolException notThere) {
            if (notThere.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw notThere;
        }
    }
}
