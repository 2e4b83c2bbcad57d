package io.taskwire.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rsocket.exceptions.RejectedSetupException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskRef;
import io.taskwire.scheduler.support.Peers;
import io.taskwire.scheduler.support.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rotation without a restart: client tokens come from a mounted directory that the scheduler reads
 * again every 100 ms. The old and the new token both work while both are listed; once the old one is
 * removed, new connections with it are refused while the connections it opened stay up.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=scheduler,application",
        "spring.rsocket.server.port=0",
        TestTokens.WORKER_PROPERTY,
        "taskwire.security.reload-interval=100ms"})
class TokenRotationTest {

    static final String OLD = "rotation-old-token-3f9a61c2";
    static final String NEW = "rotation-new-token-88d0b7e4";
    static final Path DIR = tempDir();

    @LocalRSocketServerPort
    int port;

    @DynamicPropertySource
    static void tokensDir(DynamicPropertyRegistry registry) {
        write(OLD);
        registry.add("taskwire.security.tokens-dir", DIR::toString);
    }

    @Test
    void oldAndNewTokenBothWorkDuringTheOverlapThenOnlyTheNewOne() {
        RSocketRequester before = Peers.client(port, "rotation-before", OLD);
        assertThat(accepted(before)).isTrue();

        write(OLD + "\n" + NEW);
        await().atMost(Duration.ofSeconds(5)).until(() -> acceptedAs(NEW));
        assertThat(acceptedAs(OLD)).as("the old token during the overlap").isTrue();

        write(NEW);
        await().atMost(Duration.ofSeconds(5)).until(() -> !acceptedAs(OLD));
        assertThat(acceptedAs(NEW)).isTrue();
        assertThat(accepted(before)).as("a connection opened with the old token stays up").isTrue();
        before.dispose();
    }

    /** A client learns it was accepted from the answer to its first request: here NOT_FOUND for an unknown task. */
    private boolean acceptedAs(String token) {
        RSocketRequester client = Peers.client(port, "rotation-probe", token);
        try {
            return accepted(client);
        } finally {
            client.dispose();
        }
    }

    private static boolean accepted(RSocketRequester client) {
        try {
            client.route(Routes.TASK_GET).data(new TaskRef("no-such-task")).retrieveMono(String.class)
                    .block(Duration.ofSeconds(5));
            throw new AssertionError("an unknown task was found");
        } catch (RejectedSetupException refused) {
            assertThat(ProtocolException.fromWire(refused.getMessage()).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            return false;
        } catch (RuntimeException answered) {
            assertThat(answered.getMessage()).contains("NOT_FOUND");
            return true;
        }
    }

    private static void write(String clientTokens) {
        try {
            Path next = Files.writeString(DIR.resolve("client-tokens.next"), clientTokens);
            // a Kubernetes Secret volume swaps its files atomically, as this move does
            Files.move(next, DIR.resolve(TokenAuthenticator.CLIENT_FILE),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("taskwire-tokens");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
