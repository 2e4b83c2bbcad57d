package io.taskwire.client;

import io.taskwire.messages.TaskView;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@link TaskwireClient#sendAsync(TaskRequest, TaskCallback)} calls back. Callbacks run on the
 * client's network threads: they must not block.
 */
public interface TaskCallback {

    /** The scheduler stored the task; it has not necessarily started. */
    default void onAccepted(TaskView accepted) {
    }

    /** The task reached its final state: {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT} or {@code ABORTED}. */
    void onFinished(TaskView finished);

    /** The task could not be submitted, or its final state could not be learnt in time. */
    void onFailure(Throwable failure);

    /**
     * @param onFinished called with the final view
     * @param onFailure called with what went wrong
     * @return a callback of the two
     */
    static TaskCallback of(Consumer<TaskView> onFinished, Consumer<Throwable> onFailure) {
        Objects.requireNonNull(onFinished, "onFinished");
        Objects.requireNonNull(onFailure, "onFailure");
        return new TaskCallback() {
            @Override
            public void onFinished(TaskView finished) {
                onFinished.accept(finished);
            }

            @Override
            public void onFailure(Throwable failure) {
                onFailure.accept(failure);
            }
        };
    }
}
