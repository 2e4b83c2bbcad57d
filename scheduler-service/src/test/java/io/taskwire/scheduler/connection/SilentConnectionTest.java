package io.taskwire.scheduler.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.scheduler.support.FakeWorker;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.rsocket.server.LocalRSocketServerPort;

/** PROTOCOL.md section 1: a connection that sends no valid SETUP within 5 s is closed. */
@RunningScheduler
class SilentConnectionTest {

    @LocalRSocketServerPort
    int port;

    @Test
    void connectionThatNeverSendsSetupIsClosedWithinSixSecondsWhileOthersAreServed() throws Exception {
        try (Socket silent = new Socket("localhost", port)) {
            silent.setSoTimeout(10_000);
            long openedAt = System.nanoTime();
            assertWorkerAccepted("silent-bystander-before");

            boolean closed = readsEndOfStream(silent.getInputStream());
            Duration open = Duration.ofNanos(System.nanoTime() - openedAt);

            assertThat(closed).as("the scheduler closed the silent connection").isTrue();
            assertThat(open).isLessThan(Duration.ofSeconds(6));
        }
        assertWorkerAccepted("silent-bystander-after");
    }

    /** @return true once the peer closed the stream; a read timeout (10 s) fails the test */
    private static boolean readsEndOfStream(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // the protocol says nothing of bytes before the close; only the close matters
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    private void assertWorkerAccepted(String workerId) throws InterruptedException {
        FakeWorker.accepted(port, workerId).close();
    }
}
