package io.taskwire.scheduler.console;

import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.WatchFilter;
import io.taskwire.scheduler.task.TaskLedger;
import java.time.Duration;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * The live streams (SSE) of the console's table pages: each tells its page that what it shows
 * changed, at most once a second, and the page fetches the part that changed (htmx's SSE
 * extension: {@code hx-trigger="sse:<event>"}). A signal carries no data of its own ({@code {}}), so
 * a page open for a day holds nothing on either end but the connection. A comment every 15 s lets
 * the server notice a browser that went away, and a stream ends after
 * {@code taskwire.scheduler.console.stream-lifetime}, upon which the browser opens it again.
 * (The overview, a chart, gets its numbers themselves: {@link LiveStream}.)
 *
 * <p>All task pages share one watch of the ledger, held while at least one page listens.
 */
@Component
public class ConsoleStreams {

    /** The most often a page hears that its tasks changed. */
    static final Duration AT_MOST_EVERY = Duration.ofSeconds(1);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final Flux<Object> taskChanges;
    private final Duration lifetime;

    ConsoleStreams(TaskLedger ledger, ConsoleProperties properties) {
        this.lifetime = properties.streamLifetime();
        // a watch ends when this scheduler stops leading, or refuses a watcher beyond its limit: the
        // pages' streams then end, and browsers connect again
        this.taskChanges = Flux.defer(() -> ledger.watch(new WatchFilter(null, null)))
                .onErrorResume(ProtocolException.class, ended -> Flux.empty())
                .sample(AT_MOST_EVERY)
                .<Object>map(event -> event)
                .share();
    }

    /** @return a signal, at most once a second, that some task changed */
    public Flux<Object> taskChanges() {
        return taskChanges;
    }

    /**
     * @param event the name of the events, which the page listens for ({@code sse:<event>})
     * @param changes what the page shows changing; the stream ends with it
     * @return a comment at once (so that the answer starts), a signal per change, at most once a
     *         second, and a comment every 15 s
     */
    public Flux<ServerSentEvent<String>> signals(String event, Flux<?> changes) {
        return changes.sample(AT_MOST_EVERY)
                .map(change -> ServerSentEvent.builder("{}").event(event).build())
                .publish(signals -> Flux.merge(signals, Flux.interval(KEEP_ALIVE)
                        .map(beat -> ServerSentEvent.<String>builder().comment("alive").build())
                        .takeUntilOther(signals.then())))
                .startWith(ServerSentEvent.<String>builder().comment("connected").build())
                .onBackpressureLatest()
                .take(lifetime);
    }
}
