package io.taskwire.scheduler.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.support.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the HTTP port answers to requests no HTTP client library would send, and to a direct call of
 * the error path: the protocol's problem+json every time, never Tomcat's HTML page, never a 500.
 */
@SchedulerTest
class ContainerErrorsTest {

    @LocalServerPort
    int port;

    @Test
    void aMalformedRequestLineIsAProblemWithoutHtml() throws IOException {
        assertProblem(send("GET /api/v1/tasks with spaces HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "INVALID_REQUEST");
        assertProblem(send("GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "INVALID_REQUEST");
    }

    @Test
    void headersOverTheLimitAreAProblemWithoutHtml() throws IOException {
        String response = send("GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");

        assertProblem(response, 400, "INVALID_REQUEST");
    }

    @Test
    void theErrorPathCalledDirectlyIsNotFoundNotAnInternalError() throws IOException {
        for (String token : new String[] {null, TestTokens.CLIENT}) {
            String auth = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
            String response = send("GET /error HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n");

            assertProblem(response, 404, "NOT_FOUND");
            assertThat(response).contains("nothing is served at /error");
        }
    }

    @Test
    void anUnknownPathWithTheClientTokenIsAProblemNamingThePath() throws IOException {
        String response = send("GET /api/v2/nothing HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestTokens.CLIENT
                + "\r\nConnection: close\r\n\r\n");

        assertProblem(response, 404, "NOT_FOUND");
        assertThat(response).contains("/api/v2/nothing");
    }

    private static void assertProblem(String response, int status, String code) {
        assertThat(response).startsWith("HTTP/1.1 " + status);
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json").doesNotContain("<html");
        assertThat(response).contains("\"code\":\"" + code + "\"").doesNotContain("Exception").doesNotContain("Tomcat");
    }

    private String send(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    response.write(chunk, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException done) {
                // the server keeps the connection open, or reset it after its answer
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
