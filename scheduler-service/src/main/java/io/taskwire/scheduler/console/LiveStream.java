package io.taskwire.scheduler.console;

import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The shape of every live stream of the console ({@code text/event-stream}, read by
 * {@code /console/assets/live.js}): a {@code snapshot} event with all a page needs to draw at once,
 * then an {@code update} event for each change, both JSON.
 *
 * <p>Spring MVC gives a streamed {@code Flux} no async timeout, so the stream ends itself after its
 * lifetime and the browser's EventSource opens it again, getting a fresh snapshot. A browser that
 * went away is noticed at the next write, within one update; the lifetime bounds the rest (a
 * connection that vanished without a close, which the kernel keeps accepting writes for).
 */
public final class LiveStream {

    static final String SNAPSHOT = "snapshot";
    static final String UPDATE = "update";

    private LiveStream() {
    }

    /**
     * @param snapshot asked once per stream, when it opens
     * @param updates the shared updates, hot: followed from the moment the snapshot is taken (an
     *        update published within that instant may be missed; the next one follows)
     */
    public static Flux<ServerSentEvent<Object>> of(Supplier<?> snapshot, Flux<?> updates, Duration lifetime) {
        return Flux.concat(Mono.fromSupplier(snapshot).map(data -> event(SNAPSHOT, data)),
                        updates.map(data -> event(UPDATE, data)))
                .take(lifetime);
    }

    private static ServerSentEvent<Object> event(String name, Object data) {
        return ServerSentEvent.builder(data).event(name).build();
    }
}
