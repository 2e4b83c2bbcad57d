package io.taskwire.scheduler.console.overview;

import io.taskwire.scheduler.console.ConsoleProperties;
import io.taskwire.scheduler.console.LiveStream;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import reactor.core.publisher.Flux;

/**
 * The console's first page: task rates over the sampler's history as a chart, the queue, time to
 * finish, workers and the lead, kept live by one stream per open page ({@link LiveStream}) that
 * forwards the {@link OverviewSampler}'s samples.
 */
@Controller
@RequestMapping("/console")
class OverviewController {

    private final OverviewSampler sampler;
    private final ConsoleProperties properties;

    OverviewController(OverviewSampler sampler, ConsoleProperties properties) {
        this.sampler = sampler;
        this.properties = properties;
    }

    @GetMapping({"", "/", "/overview"})
    String overview(Model model, Authentication user) {
        model.addAttribute("user", user == null ? "anyone" : user.getName());
        model.addAttribute("history", properties.history());
        model.addAttribute("period", properties.samplePeriod());
        return "console/overview";
    }

    /** The page's one stream: the history, then each sample as it is taken. */
    @GetMapping(path = "/overview/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<Object>> stream() {
        return LiveStream.of(sampler::history, sampler.samples(), properties.streamLifetime());
    }
}
