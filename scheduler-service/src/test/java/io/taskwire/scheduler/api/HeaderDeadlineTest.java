package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.support.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Slowloris against the HTTP API, as the finding sent it: connections that start a request and then
 * send a header byte now and then are closed once the header deadline passes, while real calls are
 * answered all along.
 */
@SchedulerTest
@TestPropertySource(properties = "taskwire.scheduler.http.header-timeout=2s")
class HeaderDeadlineTest {

    private static final int SLOW_CLIENTS = 100;

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    @Test
    void connectionsThatSendTheirHeadersTooSlowlyAreClosedAtTheDeadline() throws Exception {
        long connectionsBefore = connections();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int n = 0; n < SLOW_CLIENTS; n++) {
                Socket socket = new Socket("localhost", port);
                socket.setSoTimeout(1);
                socket.getOutputStream().write("POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            long started = System.nanoTime();
            List<Socket> open = new ArrayList<>(slow);
            HttpClient http = HttpClient.newHttpClient();
            while (!open.isEmpty() && System.nanoTime() - started < 10_000_000_000L) {
                open.removeIf(HeaderDeadlineTest::closedAfterAByte);
                HttpResponse<String> real = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/workers")).header("Authorization", "Bearer " + TestTokens.CLIENT).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(real.statusCode()).as("a real call while slow clients hang on").isEqualTo(200);
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;

            assertThat(open).as("slow connections still open after %d s", seconds).isEmpty();
            assertThat(seconds).as("closed soon after the 2 s deadline").isLessThanOrEqualTo(6);
            // what they held is given back: the server counts none of them any more (the real calls' one connection aside)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(connections())
                    .isLessThanOrEqualTo(connectionsBefore + 1));
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aRequestThatWaitsForItsTaskLongerThanTheDeadlineIsNotCut() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long started = System.nanoTime();
        HttpResponse<String> waited = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/tasks?waitMs=4000"))
                .header("Authorization", "Bearer " + TestTokens.CLIENT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + SchedulerTest.DECLARED_TYPE
                        + "\",\"payload\":1}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(waited.statusCode()).as("still pending after waitMs: 202 with its view").isEqualTo(202);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(4000);
    }

    /** @return connections the API port's Tomcat connector holds now */
    private long connections() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        return ((AbstractProtocol<?>) server.getTomcat().getConnector().getProtocolHandler()).getConnectionCount();
    }

    /** Sends one more header byte; @return whether the server has closed the connection */
    private static boolean closedAfterAByte(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write('a');
            out.flush();
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException closed) {
            return true;
        }
    }
}
