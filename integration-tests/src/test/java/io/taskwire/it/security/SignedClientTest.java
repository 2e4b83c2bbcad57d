package io.taskwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskwire.client.TaskRequest;
import io.taskwire.client.TaskwireClient;
import io.taskwire.client.error.NotFoundException;
import io.taskwire.client.error.UnauthorizedException;
import io.taskwire.it.Tokens;
import io.taskwire.it.faults.InProcessScheduler;
import io.taskwire.messages.TaskStatus;
import io.taskwire.transport.signing.MessageSigner;
import io.taskwire.transport.signing.SigningProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code taskwire-client} against a scheduler that requires signatures: signed it is served, unsigned refused. */
class SignedClientTest {

    private static InProcessScheduler scheduler;

    @BeforeAll
    static void start() {
        scheduler = InProcessScheduler.startWith(SignedClusterTest.SIGNING);
    }

    @AfterAll
    static void stop() {
        scheduler.close();
    }

    private static TaskwireClient client(MessageSigner signer) {
        TaskwireClient.Builder builder = TaskwireClient.builder().addresses("127.0.0.1:" + scheduler.rsocketPort())
                .token(Tokens.CLIENT).requestTimeout(Duration.ofSeconds(10));
        if (signer != null) {
            builder.signer(signer::withSignature);
        }
        return builder.build();
    }

    @Test
    void aSignedClientIsServedAndAnUnsignedOneRefused() {
        MessageSigner signer = new MessageSigner(new SigningProperties(true, Map.of("k1", SignedClusterTest.KEY), "k1",
                Duration.ofSeconds(30), 1_000), Clock.systemUTC());
        try (TaskwireClient signed = client(signer); TaskwireClient unsigned = client(null)) {
            assertThat(signed.submit(TaskRequest.of("echo", "signed")).status()).isEqualTo(TaskStatus.PENDING);
            assertThatThrownBy(() -> signed.get("no-such-task")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> unsigned.get("no-such-task")).isInstanceOf(UnauthorizedException.class)
                    .hasMessageContaining("signature");
        }
    }
}
