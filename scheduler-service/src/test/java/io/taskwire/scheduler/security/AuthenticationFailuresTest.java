package io.taskwire.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.scheduler.dispatch.SchedulerTest;
import io.taskwire.scheduler.support.Peers;
import io.taskwire.scheduler.support.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Rejected tokens count per address, over RSocket and HTTP together; past the limit the address is
 * turned away before its token is checked, on both, while calls without a token (the probes) pass.
 */
@SchedulerTest
@TestPropertySource(properties = {"taskwire.security.max-failed-authentications=3",
        "taskwire.security.failed-authentication-window=1h"})
class AuthenticationFailuresTest {

    private static final String WRONG = "wrong-token-0123456789abcdef";

    @LocalRSocketServerPort
    int rsocketPort;

    @LocalServerPort
    int httpPort;

    @LocalManagementPort
    int managementPort;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAddressPastTheRejectedTokensIsTurnedAwayOnBothPortsBeforeItsTokenIsChecked() throws Exception {
        assertThat(get(httpPort, "/api/v1/workers", WRONG).statusCode()).isEqualTo(401);
        assertThat(get(httpPort, "/api/v1/workers", WRONG).statusCode()).isEqualTo(401);
        assertThat(setupRefusal(WRONG).code()).isEqualTo(ErrorCode.UNAUTHORIZED);

        HttpResponse<String> turnedAway = get(httpPort, "/api/v1/workers", TestTokens.CLIENT);
        assertThat(turnedAway.statusCode()).isEqualTo(429);
        assertThat(turnedAway.body()).contains("AT_CAPACITY").contains("rejected tokens");
        ProtocolException refusal = setupRefusal(TestTokens.CLIENT);
        assertThat(refusal.code()).isEqualTo(ErrorCode.AT_CAPACITY);
        assertThat(refusal.detail()).contains("rejected tokens");
        assertThat(get(managementPort, "/actuator/health/readiness", null).statusCode())
                .as("a probe carries no token and passes").isEqualTo(200);
    }

    private ProtocolException setupRefusal(String token) {
        Throwable refusal = Peers.setupRefusal(rsocketPort, "auth-failures", token);
        assertThat(refusal).as("the SETUP was refused").isNotNull();
        return ProtocolException.fromWire(refusal.getMessage());
    }

    private HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
