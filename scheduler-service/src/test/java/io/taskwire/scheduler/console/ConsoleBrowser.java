package io.taskwire.scheduler.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser's part in the console's tests, over real HTTP: one cookie jar (the session), no redirect
 * followed, forms posted as forms with the page's CSRF token when given.
 */
public final class ConsoleBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;

    public ConsoleBrowser(int port) {
        this.port = port;
    }

    /** @return a browser logged in with the token */
    public static ConsoleBrowser loggedIn(int port, String token) throws IOException, InterruptedException {
        ConsoleBrowser browser = new ConsoleBrowser(port);
        HttpResponse<String> login = browser.logIn(token);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/console"));
        return browser;
    }

    /** @return the answer to the login form sent with the token */
    public HttpResponse<String> logIn(String token) throws IOException, InterruptedException {
        String csrf = csrf(get("/console/login").body());
        return post("/console/login", csrf, Map.of("user", "console", "token", token));
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the answer to a GET as htmx makes it from a page (a fragment's reload) */
    public HttpResponse<String> htmxGet(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("HX-Request", "true").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens an event stream as an EventSource does, without waiting: its events come to {@code stream}. */
    public void open(String path, EventStream stream) {
        http.sendAsync(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").build(), stream);
    }

    /** @param csrf the page's CSRF token; null to post without one */
    public HttpResponse<String> post(String path, String csrf) throws IOException, InterruptedException {
        return post(path, csrf, Map.of());
    }

    /** @param csrf the page's CSRF token; null to post without one */
    public HttpResponse<String> post(String path, String csrf, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>(fields);
        if (csrf != null) {
            form.put("_csrf", csrf);
        }
        String body = form.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the CSRF token a page carries in its forms */
    public String csrf(String html) {
        Matcher token = CSRF.matcher(html);
        assertThat(token.find()).as("a CSRF token in the page").isTrue();
        return token.group(1);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
