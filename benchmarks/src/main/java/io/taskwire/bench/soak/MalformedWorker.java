package io.taskwire.bench.soak;

import io.rsocket.RSocket;
import io.rsocket.exceptions.RejectedSetupException;
import io.taskwire.bench.Payloads;
import io.taskwire.bench.cluster.WorkerConnection;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A worker for the real tasks' type that answers every {@code task.execute} with the
 * result of another attempt, heartbeating as a worker should; once the scheduler disconnects it,
 * it dials again every few seconds (and is refused while its cool-down lasts).
 */
final class MalformedWorker extends Attack {

    private static final String ID = "soak-malformed";

    private final int port;
    private final String workerToken;

    MalformedWorker(String sourceAddress, int port, String workerToken) {
        super("malformed worker", sourceAddress);
        this.port = port;
        this.workerToken = workerToken;
    }

    @Override
    String description() {
        return "a worker of the real tasks' type, 1 slot, answering each task.execute with another attempt's result;"
                + " dials again every 5 s";
    }

    @Override
    void start() {
        paced("worker", 0.2, this::connectOnce);
    }

    private void connectOnce() {
        RSocket connection = SoakWorker.connect(sourceAddress(), port, workerToken, ID, 1, List.of(Payloads.TASK_TYPE),
                WorkerConnection.responder(assignment -> {
                    count("wrong results sent");
                    Instant now = Instant.now();
                    return Mono.<Object>just(new TaskResult(assignment.taskId(), assignment.attempt() + 1, ID,
                            assignment.fence(), Outcome.SUCCEEDED, assignment.payload(), null, now, now));
                })).block(Duration.ofSeconds(10));
        long seq = 0;
        try {
            while (running() && !connection.isDisposed()) {
                connection.fireAndForget(SoakWorker.heartbeat(ID, ++seq, 1)).block(Duration.ofSeconds(5));
                connection.onClose().timeout(Duration.ofSeconds(1), Mono.empty()).block();
            }
            count(running() ? "disconnected by the scheduler" : "still connected at the end");
        } catch (RuntimeException closed) {
            boolean refused = closed instanceof RejectedSetupException && closed.getMessage() != null
                    && closed.getMessage().startsWith("{");
            count(refused ? "SETUP refused: " + ProtocolException.fromWire(closed.getMessage()).code()
                    : "disconnected by the scheduler");
        } finally {
            connection.dispose();
        }
    }
}
