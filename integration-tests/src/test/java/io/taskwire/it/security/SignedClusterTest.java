package io.taskwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskwire.it.faults.InProcessScheduler;
import io.taskwire.it.faults.WorkerProcess;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.taskwire.it.Tokens;
import java.util.stream.IntStream;

/**
 * Signatures on in a real cluster: the scheduler signs its calls to the worker and checks the
 * worker's, the worker does the reverse, and tasks run; a worker holding another key never gets in.
 */
class SignedClusterTest {

    static final String KEY = "cluster-signing-key-8e2f61a0c94b7d35";
    static final String[] SIGNING = {"--taskwire.transport.signing.enabled=true",
            "--taskwire.transport.signing.keys.k1=" + KEY, "--taskwire.transport.signing.active-key=k1"};

    @Test
    void signedWorkerRunsTasksAndAWorkerWithAnotherKeyIsRefused() throws Exception {
        try (InProcessScheduler scheduler = InProcessScheduler.startWith(SIGNING);
             WorkerProcess signed = WorkerProcess.start("signed-worker", 4, scheduler.rsocketPort(), SIGNING);
             WorkerProcess forger = WorkerProcess.start("forging-worker", 4, scheduler.rsocketPort(),
                     "--taskwire.transport.signing.enabled=true",
                     "--taskwire.transport.signing.keys.k1=another-key-of-the-same-length-00000",
                     "--taskwire.transport.signing.active-key=k1")) {
            signed.awaitRegistered(scheduler.registry(), Duration.ofSeconds(30));

            // submitted over HTTP, which signatures do not cover: the signed path is scheduler <-> worker
            HttpHeaders json = new HttpHeaders();
            json.setContentType(MediaType.APPLICATION_JSON);
            List<TaskView> done = IntStream.range(0, 50).mapToObj(i -> Tokens.http().postForObject(
                    "http://127.0.0.1:" + scheduler.httpPort() + "/api/v1/tasks?waitMs=10000",
                    new HttpEntity<>("{\"type\":\"echo\",\"payload\":{\"i\":" + i + "}}", json), TaskView.class))
                    .toList();

            assertThat(done).hasSize(50).allSatisfy(view -> {
                assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(view.workerId()).isEqualTo("signed-worker");
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> forger.logTail().contains("does not match"));
            assertThat(scheduler.registry().find("forging-worker")).isEmpty();
        }
    }
}
