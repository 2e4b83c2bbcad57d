package io.taskwire.scheduler.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.ClientHello;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHello;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.support.FakeWorker;
import io.taskwire.scheduler.support.TestTokens;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;

/** Bearer tokens at SETUP, over real TCP: who gets in, with which role, and what a refusal says. */
@RunningScheduler
class SetupAuthenticationTest {

    @LocalRSocketServerPort
    int port;

    @Autowired
    WorkerRegistry registry;

    @Test
    void workerWithoutTokenIsRejectedAsUnauthorizedAndNeverRegistered() {
        ProtocolException refusal = RawSetup.rejectionOf(RawSetup.withHello(hello("auth-none")).token(null).connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(refusal.detail()).contains("no bearer token").contains("message/x.rsocket.authentication.v0");
        assertThat(registry.find("auth-none")).isEmpty();
    }

    @Test
    void workerWithWrongTokenIsRejectedAsUnauthorized() {
        ProtocolException refusal = RawSetup.rejectionOf(
                RawSetup.withHello(hello("auth-wrong")).token("not-the-worker-token-at-all").connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(refusal.detail()).contains("not one this scheduler accepts");
        assertThat(registry.find("auth-wrong")).isEmpty();
    }

    @Test
    void clientTokenCannotOpenAWorkerConnection() {
        ProtocolException refusal = RawSetup.rejectionOf(
                RawSetup.withHello(hello("auth-client-token")).token(TestTokens.CLIENT).connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refusal.detail()).contains("may not open a worker connection");
        assertThat(registry.find("auth-client-token")).isEmpty();
    }

    @Test
    void aViewerTokenOpensNoConnectionOfEitherRole() {
        ProtocolException asClient = RawSetup.rejectionOf(RawSetup.withHello(new ClientHello(Protocol.VERSION, "v"))
                .route(Routes.CLIENT_CONNECT).token(TestTokens.VIEWER).connect(port));
        ProtocolException asWorker = RawSetup.rejectionOf(
                RawSetup.withHello(hello("auth-viewer-token")).token(TestTokens.VIEWER).connect(port));

        assertThat(asClient.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(asWorker.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(registry.find("auth-viewer-token")).isEmpty();
    }

    @Test
    void workerTokenCannotOpenAClientConnection() {
        ProtocolException refusal = RawSetup.rejectionOf(RawSetup.withHello(new ClientHello(Protocol.VERSION, "c"))
                .route(Routes.CLIENT_CONNECT).token(TestTokens.WORKER).connect(port));

        assertThat(refusal.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refusal.detail()).contains("may not open a client connection");
    }

    @Test
    void workerTokenOpensAWorkerConnection() throws InterruptedException {
        try (FakeWorker worker = FakeWorker.connect(port, hello("auth-good"), a -> FakeWorker.echo(a, "auth-good"))) {
            assertThat(worker.configs.poll(5, java.util.concurrent.TimeUnit.SECONDS))
                    .as("worker.config, sent once the SETUP is accepted").isNotNull();
            assertThat(registry.find("auth-good")).isPresent();
        }
    }

    private static WorkerHello hello(String id) {
        return new WorkerHello(Protocol.VERSION, id, "localhost", 1, List.of("echo"), null, "test", null);
    }
}
