package io.taskwire.bench.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser with one console page open, over real HTTP: it logs in through the form (CSRF token
 * and all) into a session cookie of its own, loads the page, holds the page's SSE stream and reads
 * every event, parses the JSON ones as the page's script does, and on each signal fetches the
 * fragment the page names with htmx's headers, dropping a signal that comes while the fetch before
 * is still in flight (htmx's default). When the stream ends, it is opened again after
 * {@link #RECONNECT}, as EventSource does. The page's scripts and styles are not fetched: a browser
 * has them cached after the first page.
 */
final class Console {

    /** Chromium's EventSource waits 3 s before it opens an ended stream again. */
    static final Duration RECONNECT = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("JSESSIONID=([^;]+)");
    private static final Pattern TAG = Pattern.compile("<[^>]*hx-trigger=\"sse:([^\"]+)\"[^>]*>");
    private static final Pattern HX_GET = Pattern.compile("hx-get=\"([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\\sid=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Traffic traffic;
    private String session;
    private volatile Page page;
    private volatile ServerSentEvents stream;
    private Map<String, Fragment> fragments = Map.of();
    private final AtomicBoolean fetching = new AtomicBoolean();

    private Console(HttpClient http, URI base, Traffic traffic) {
        this.http = http;
        this.base = base;
        this.traffic = traffic;
    }

    /** Logs in with the token as a person does in the login form; no page is open yet. */
    static Console login(HttpClient http, URI base, String token, Traffic traffic) {
        Console console = new Console(http, base, traffic);
        HttpResponse<String> form = console.send(console.request("/console/login").GET().build());
        Matcher csrf = CSRF.matcher(form.body());
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token in the login page: " + form.statusCode());
        }
        console.keepSession(form);
        String body = "user=console&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = console.send(console.request("/console/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        String to = login.headers().firstValue("Location").orElse("");
        if (login.statusCode() != 302 || to.contains("error")) {
            throw new IllegalStateException("login refused: " + login.statusCode() + " to " + to);
        }
        console.keepSession(login);
        return console;
    }

    /** Opens the page: its HTML, then its stream, held until {@link #close()}. */
    void open(Page opened) {
        HttpResponse<String> html = send(request(opened.path()).header("Accept", "text/html").GET().build());
        if (html.statusCode() != 200) {
            throw new IllegalStateException(opened.path() + " answered " + html.statusCode());
        }
        fragments = fragments(html.body(), opened);
        page = opened;
        connect(opened);
    }

    /** Closes the page, as closing its tab does: the stream's connection is dropped; the session stays. */
    void close() {
        page = null;
        ServerSentEvents current = stream;
        if (current != null) {
            current.cancel();
        }
    }

    private void connect(Page opened) {
        ServerSentEvents events = new ServerSentEvents(this::event);
        stream = events;
        // no timeout: it would bound the whole stream
        HttpRequest request = withSession(HttpRequest.newBuilder(base.resolve(opened.stream())))
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache").GET().build();
        http.sendAsync(request, answer -> {
            if (answer.statusCode() != 200) {
                traffic.streamRefused();
                return HttpResponse.BodySubscribers.discarding();
            }
            return HttpResponse.BodySubscribers.fromLineSubscriber(events);
        }).whenComplete((ended, failure) -> reconnect(opened, events));
    }

    /** The stream ended (its lifetime, or a failure): a page still open opens it again. */
    private void reconnect(Page opened, ServerSentEvents ended) {
        if (page != opened || stream != ended) {
            return;
        }
        traffic.reconnected();
        CompletableFuture.runAsync(() -> {
            if (page == opened && stream == ended) {
                connect(opened);
            }
        }, CompletableFuture.delayedExecutor(RECONNECT.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void event(String name, String data) {
        traffic.event(data.length());
        Fragment fragment = fragments.get(name);
        if (fragment != null) {
            fetch(fragment);
        } else if (!data.equals("{}")) {
            try {
                JSON.readTree(data);
            } catch (IOException notJson) {
                traffic.failed();
            }
        }
    }

    private void fetch(Fragment fragment) {
        if (!fetching.compareAndSet(false, true)) {
            traffic.dropped();
            return;
        }
        HttpRequest request = request(fragment.path()).header("HX-Request", "true")
                .header("HX-Current-URL", base.resolve(page == null ? "/" : page.path()).toString())
                .header("HX-Target", fragment.element()).header("HX-Trigger", fragment.element()).header("Accept", "text/html").GET().build();
        long start = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
            fetching.set(false);
            if (failure != null || answer.statusCode() != 200) {
                traffic.failed();
            } else {
                traffic.fetched(answer.body().length(), System.nanoTime() - start);
            }
        });
    }

    /** @return for each signal of the page, the fragment its element fetches ({@code hx-get}) */
    private static Map<String, Fragment> fragments(String html, Page page) {
        Map<String, Fragment> fragments = new HashMap<>();
        Matcher tag = TAG.matcher(html);
        while (tag.find()) {
            Matcher get = HX_GET.matcher(tag.group());
            Matcher id = ID.matcher(tag.group());
            if (page.signals().contains(tag.group(1)) && get.find()) {
                fragments.put(tag.group(1), new Fragment(get.group(1).replace("&amp;", "&"), id.find() ? id.group(1) : ""));
            }
        }
        if (!fragments.keySet().equals(page.signals())) {
            throw new IllegalStateException(page.path() + " has fragments for " + fragments.keySet() + ", not "
                    + page.signals());
        }
        return fragments;
    }

    private HttpRequest.Builder request(String path) {
        return withSession(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT));
    }

    private HttpRequest.Builder withSession(HttpRequest.Builder request) {
        return session == null ? request : request.header("Cookie", "JSESSIONID=" + session);
    }

    private void keepSession(HttpResponse<?> answer) {
        for (String cookie : answer.headers().allValues("Set-Cookie")) {
            Matcher id = SESSION.matcher(cookie);
            if (id.find()) {
                session = id.group(1);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What an element that follows a signal fetches, and its id (htmx sends it as the target and trigger). */
    private record Fragment(String path, String element) {
    }
}
