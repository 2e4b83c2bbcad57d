package io.taskwire.scheduler.console.workers;

import io.taskwire.messages.ProtocolException;
import io.taskwire.scheduler.console.ConsoleSession;
import io.taskwire.scheduler.console.ConsoleStreams;
import io.taskwire.scheduler.console.overview.OverviewSampler;
import io.taskwire.scheduler.health.WorkersView;
import io.taskwire.scheduler.registry.WorkerRegistry;
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
 * The console's workers: each one's status, slots, heartbeat age, round trip, breaker, labels and
 * version, from the same view as the HTTP API's; the page fetches its table again at each of the
 * scheduler's samples (its stream says when), and a client's session drains and resumes a worker.
 */
@Controller
@RequestMapping("/console/workers")
class ConsoleWorkers {

    private final WorkersView workers;
    private final WorkerRegistry registry;
    private final ConsoleStreams streams;
    private final OverviewSampler sampler;

    ConsoleWorkers(WorkersView workers, WorkerRegistry registry, ConsoleStreams streams, OverviewSampler sampler) {
        this.workers = workers;
        this.registry = registry;
        this.streams = streams;
        this.sampler = sampler;
    }

    @GetMapping
    String workers(Model model, Authentication user) {
        table(model, user);
        return "console/workers";
    }

    /** The workers' table alone, for the page to swap in. */
    @GetMapping("/table")
    String workersTable(Model model, Authentication user) {
        table(model, user);
        return "console/workers :: table";
    }

    /** Tells the page to fetch its table at each of the scheduler's samples: heartbeat ages move on. */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> stream() {
        return streams.signals("workers", sampler.samples());
    }

    private void table(Model model, Authentication user) {
        model.addAttribute("workers", workers.all());
        ConsoleSession.describe(model, user);
    }

    @PostMapping("/{workerId}/drain")
    String drain(@PathVariable String workerId, RedirectAttributes said) {
        return act(() -> registry.drain(workerId), "Draining " + workerId + ": it gets no new task", said);
    }

    @PostMapping("/{workerId}/resume")
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
