package io.taskwire.bench.console;

import java.util.concurrent.Flow;
import java.util.function.BiConsumer;

/**
 * Reads a {@code text/event-stream} line by line as a browser's EventSource does: {@code event:}
 * and {@code data:} fields, a blank line dispatching the event (named {@code message} when it has
 * no {@code event:} field), lines starting with {@code :} comments.
 */
final class ServerSentEvents implements Flow.Subscriber<String> {

    private final BiConsumer<String, String> dispatch;
    private final StringBuilder data = new StringBuilder();
    private String event = "";
    private boolean hasData;
    private volatile Flow.Subscription subscription;

    /** @param dispatch gets each event's name and data */
    ServerSentEvents(BiConsumer<String, String> dispatch) {
        this.dispatch = dispatch;
    }

    /** Stops reading: the connection is dropped, as when a tab closes. */
    void cancel() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (line.isEmpty()) {
            if (hasData) {
                dispatch.accept(event.isEmpty() ? "message" : event, data.toString());
            }
            event = "";
            data.setLength(0);
            hasData = false;
        } else if (!line.startsWith(":")) {
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            if (field.equals("event")) {
                event = value;
            } else if (field.equals("data")) {
                data.append(hasData ? "\n" : "").append(value);
                hasData = true;
            }
        }
    }

    @Override
    public void onError(Throwable failure) {
        // the caller sees the exchange end with the failure
    }

    @Override
    public void onComplete() {
        // the caller sees the exchange end
    }
}
