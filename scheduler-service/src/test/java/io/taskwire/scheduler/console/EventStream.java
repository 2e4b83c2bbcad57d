package io.taskwire.scheduler.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * An EventSource's part in the console's tests: reads a {@code text/event-stream} as it comes, each
 * event's data parsed as JSON, for the test to await. Closing it cancels the stream.
 */
public final class EventStream implements HttpResponse.BodyHandler<Void>, Flow.Subscriber<String>, AutoCloseable {

    /** One event as the page's script gets it. */
    public record Event(String name, JsonNode data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final StringBuilder data = new StringBuilder();
    private volatile HttpResponse.ResponseInfo response;
    private volatile Flow.Subscription subscription;
    private volatile boolean ended;
    private String name = "message";

    /** @return the answer's status and headers, once they came */
    public HttpResponse.ResponseInfo response() {
        return response;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** @return the data of the events of this name, in order */
    public List<JsonNode> data(String eventName) {
        return events.stream().filter(event -> event.name().equals(eventName)).map(Event::data).toList();
    }

    @Override
    public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
        response = info;
        return HttpResponse.BodySubscribers.fromLineSubscriber(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (line.isEmpty() && !data.isEmpty()) {
            events.add(new Event(name, parse(data.toString())));
            name = "message";
            data.setLength(0);
        } else if (line.startsWith("event:")) {
            name = line.substring("event:".length()).strip();
        } else if (line.startsWith("data:")) {
            data.append(data.isEmpty() ? "" : "\n").append(line.substring("data:".length()).stripLeading());
        }
    }

    @Override
    public void onError(Throwable throwable) {
        ended = true;
    }

    @Override
    public void onComplete() {
        ended = true;
    }

    /** @return whether the server ended the stream (or it broke) */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
