package io.taskwire.scheduler.console;

import io.taskwire.messages.ProtocolException;
import io.taskwire.scheduler.health.WorkersView;
import io.taskwire.scheduler.registry.WorkerRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import reactor.core.publisher.Flux;

/**
 * The console's pages, rendered on the server ({@code templates/console}): the login form and the
 * workers, whose table the page reloads every two seconds (htmx), with drain and resume for a
 * client's session. What a page shows comes from the same views as the HTTP API's.
 */
@Controller
@RequestMapping("/console")
class ConsoleController {

    private final WorkersView workers;
    private final WorkerRegistry registry;
    private final ConsoleStreams streams;
    private final OverviewSampler sampler;

    ConsoleController(WorkersView workers, WorkerRegistry registry, ConsoleStreams streams, OverviewSampler sampler) {
        this.workers = workers;
        this.registry = registry;
        this.streams = streams;
        this.sampler = sampler;
    }

    /** The request attribute that says why a request was refused: {@code form} or {@code role}. */
    static final String REFUSAL = "taskwire.console.refusal";

    @GetMapping("/login")
    String login() {
        return "console/login";
    }

    /** Why a request was refused ({@link ConsoleSecurityConfiguration}), whatever its method. */
    @RequestMapping("/denied")
    String denied(HttpServletRequest request, Model model, Authentication user) {
        ConsoleSession.describe(model, user);
        model.addAttribute("refusal", request.getAttribute(REFUSAL));
        return "console/denied";
    }

    @GetMapping("/workers")
    String workers(Model model, Authentication user) {
        table(model, user);
        return "console/workers";
    }

    /** The workers' table alone, for the page to swap in. */
    @GetMapping("/workers/table")
    String workersTable(Model model, Authentication user) {
        table(model, user);
        return "console/workers :: table";
    }

    /** Tells the workers page to fetch its table at each of the scheduler's samples: heartbeat ages move on. */
    @GetMapping(path = "/workers/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> workersStream() {
        return streams.signals("workers", sampler.samples());
    }

    private void table(Model model, Authentication user) {
        model.addAttribute("workers", workers.all());
        ConsoleSession.describe(model, user);
    }

    @PostMapping("/workers/{workerId}/drain")
    String drain(@PathVariable String workerId, RedirectAttributes said) {
        return act(() -> registry.drain(workerId), "Draining " + workerId + ": it gets no new task", said);
    }

    @PostMapping("/workers/{workerId}/resume")
    String resume(@PathVariable String workerId, RedirectAttributes said) {
        return act(() -> registry.resume(workerId), workerId + " takes tasks again", said);
    }

    private static String act(Runnable action, String done, RedirectAttributes said) {
        try {
            action.run();
            said.addFlashAttribute("message", done);
        } catch (ProtocolException refused) {
            said.addFlashAttribute("error", ConsoleSession.said(refused));
        }
        return "redirect:/console/workers";
    }

}
