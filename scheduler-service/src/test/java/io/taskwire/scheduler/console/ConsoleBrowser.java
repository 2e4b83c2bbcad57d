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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser's part in the console's tests: one cookie jar, no redirect followed, forms posted as forms. */
final class ConsoleBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;

    ConsoleBrowser(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens an event stream as an EventSource does, without waiting: its events come to {@code stream}. */
    void open(String path, EventStream stream) {
        http.sendAsync(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").build(), stream);
    }

    HttpResponse<String> logIn(String token) throws IOException, InterruptedException {
        String csrf = csrf(get("/console/login").body());
        return post("/console/login", csrf, "user=console&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String csrf) throws IOException, InterruptedException {
        return post(path, csrf, "");
    }

    HttpResponse<String> post(String path, String csrf, String form) throws IOException, InterruptedException {
        String body = csrf == null ? form : (form.isEmpty() ? "" : form + "&") + "_csrf=" + csrf;
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String csrf(String html) {
        Matcher token = CSRF.matcher(html);
        assertThat(token.find()).as("a CSRF token in the page").isTrue();
        return token.group(1);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
