package io.taskwire.scheduler.dispatch;

import static org.awaitility.Awaitility.await;

import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.support.Peers;
import java.time.Duration;
import java.util.List;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.rsocket.RSocketRequester;

/** A client of the scheduler over RSocket, with the calls the tests make most, each bounded. */
public final class TaskClient implements AutoCloseable {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final ParameterizedTypeReference<List<TaskView>> VIEWS = new ParameterizedTypeReference<>() { };

    private final RSocketRequester requester;

    private TaskClient(RSocketRequester requester) {
        this.requester = requester;
    }

    public static TaskClient connect(int port) {
        return new TaskClient(Peers.client(port, "scheduler-tests"));
    }

    public RSocketRequester requester() {
        return requester;
    }

    public TaskView submit(TaskSpec spec) {
        return requester.route(Routes.TASK_SUBMIT).data(spec).retrieveMono(TaskView.class).block(ANSWER_WITHIN);
    }

    /** Submits specs together by {@code task.submit.batch}. */
    public List<TaskView> submitAll(List<TaskSpec> specs) {
        return requester.route(Routes.TASK_SUBMIT_BATCH).data(specs).retrieveMono(VIEWS).block(ANSWER_WITHIN);
    }

    public TaskView get(String taskId) {
        return requester.route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class)
                .block(ANSWER_WITHIN);
    }

    public TaskView abort(String taskId) {
        return requester.route(Routes.TASK_ABORT).data(new TaskRef(taskId)).retrieveMono(TaskView.class)
                .block(ANSWER_WITHIN);
    }

    /** @return the task's view once it reached the status, failing if it does not within the wait */
    public TaskView awaitStatus(String taskId, TaskStatus status, Duration within) {
        return await().atMost(within).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(() -> get(taskId), view -> view.status() == status);
    }

    /** Fails unless the task is PENDING now and all through the given time. */
    public void assertStaysPending(String taskId, Duration during) {
        await().during(during).atMost(during.plusSeconds(2)).pollInterval(POLL)
                .until(() -> get(taskId).status(), status -> status == TaskStatus.PENDING);
    }

    @Override
    public void close() {
        if (!requester.isDisposed()) {
            requester.dispose();
        }
    }
}
