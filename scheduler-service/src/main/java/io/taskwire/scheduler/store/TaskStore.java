package io.taskwire.scheduler.store;

import io.taskwire.messages.TaskStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where tasks are kept across restarts (PROTOCOL.md section 7): a database behind
 * {@link JdbcTaskStore}, or nothing at all in the in-memory mode ({@link InMemoryTaskStore}). The
 * scheduler's working set lives in its memory either way; the store is the truth after a restart.
 * Writes carry a task's whole row, so that the last write committed is the task's state.
 */
public interface TaskStore {

    /** @return whether what is written here survives a restart; false in the in-memory mode */
    boolean durable();

    /** Stores a new task; the future completes once that is committed, exceptionally when it could not be. */
    CompletableFuture<Void> insert(TaskRow row);

    /** Stores a task's new state; the future completes once that is committed, exceptionally when it could not be. */
    CompletableFuture<Void> update(TaskRow row);

    Optional<TaskRow> find(String taskId);

    Optional<TaskRow> findByIdempotencyKey(String key);

    /**
     * @param status only tasks in this status; null for any
     * @param type only tasks of this type; null for any
     * @param limit at most this many
     * @return the matching tasks, newest first
     */
    List<TaskRow> list(TaskStatus status, String type, int limit);

    /** @return every task not yet final, oldest first: what a scheduler goes on with after a restart */
    List<TaskRow> unfinished();

    /**
     * @return why the store cannot be written to now (new tasks are refused meanwhile); null while it
     *         can, and always in the in-memory mode
     */
    default Throwable unwritable() {
        return null;
    }

    /** @return writes waiting for their commit */
    default int queuedWrites() {
        return 0;
    }

    /** @return the fence epoch of this start (PROTOCOL.md section 5): larger than any handed out before */
    long nextEpoch();
}
