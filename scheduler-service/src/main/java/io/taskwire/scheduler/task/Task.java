package io.taskwire.scheduler.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.store.TaskRow;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One task and its state machine. Every transition runs under the task's own lock and says whether
 * it changed anything, so that each effect is recorded exactly once whatever order results,
 * timeouts and worker losses arrive in. Only {@link TaskLedger} calls the transitions.
 */
public final class Task {

    private static final CompletableFuture<Void> STORED = CompletableFuture.completedFuture(null);

    private final String id;
    private final TaskSpec spec;
    private final Instant createdAt;
    private final Duration timeout;
    private final int maxAttempts;
    /** The schedule that fired it; null for a task a client submitted. */
    private final String scheduleId;

    private TaskStatus status = TaskStatus.PENDING;
    private int attempt;
    private int attemptsSpent;
    private String workerId;
    private String fence;
    private Instant startedAt;
    private Instant finishedAt;
    private JsonNode output;
    private TaskError error;
    private int recordedAttempt;
    private volatile String avoidedWorker;
    /** The commit of the task's creation, and of its newest state; done for a task read from the store. */
    private volatile CompletableFuture<Void> creation = STORED;
    private volatile CompletableFuture<Void> newestWrite = STORED;

    Task(String id, TaskSpec spec, Instant createdAt, Duration timeout, int maxAttempts, String scheduleId) {
        this.id = id;
        this.scheduleId = scheduleId;
        this.spec = spec;
        this.createdAt = createdAt;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
    }

    public String id() {
        return id;
    }

    public TaskSpec spec() {
        return spec;
    }

    public String type() {
        return spec.type();
    }

    /** @return the schedule that fired it; null for a task a client submitted */
    public String scheduleId() {
        return scheduleId;
    }

    public Duration timeout() {
        return timeout;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public synchronized TaskStatus status() {
        return status;
    }

    public synchronized TaskView view() {
        return new TaskView(id, spec.type(), status, attempt, workerId, createdAt, startedAt, finishedAt, output, error,
                scheduleId);
    }

    /** @return the task as the store keeps it, taken under its lock: all there is to show of it */
    public synchronized TaskRow row() {
        return new TaskRow(id, spec, status, attempt, attemptsSpent, recordedAttempt, timeout.toMillis(), maxAttempts,
                workerId, fence, avoidedWorker, createdAt, startedAt, finishedAt, output, error, scheduleId);
    }

    /** @return the task the store kept, in the state it was in, to go on from there after a restart */
    static Task restored(TaskRow row) {
        Task task = new Task(row.id(), row.spec(), row.createdAt(), Duration.ofMillis(row.timeoutMs()), row.maxAttempts(),
                row.scheduleId());
        synchronized (task) {
            task.status = row.status();
            task.attempt = row.attempt();
            task.attemptsSpent = row.attemptsSpent();
            task.recordedAttempt = row.recordedAttempt();
            task.workerId = row.workerId();
            task.fence = row.fence();
            task.startedAt = row.startedAt();
            task.finishedAt = row.finishedAt();
            task.output = row.output();
            task.error = row.error();
        }
        task.avoidedWorker = row.avoidedWorker();
        return task;
    }

    /** @return whether the task's creation is committed: until then nobody but its submitter sees it */
    boolean created() {
        CompletableFuture<Void> commit = creation;
        return commit.isDone() && !commit.isCompletedExceptionally();
    }

    /** @return the commit of the task's creation */
    CompletableFuture<Void> creation() {
        return creation;
    }

    /** @return the commit of the newest state written */
    CompletableFuture<Void> newestWrite() {
        return newestWrite;
    }

    /** Called by the ledger under the task's lock as it writes the task, so that writes and this agree. */
    void written(CompletableFuture<Void> write, boolean isCreation) {
        newestWrite = write;
        if (isCreation) {
            creation = write;
        }
    }

    synchronized TaskEvent event(Instant at) {
        return new TaskEvent(id, status, attempt, workerId, at);
    }

    synchronized Instant finishedAt() {
        return finishedAt;
    }

    /** PENDING to DISPATCHED: a new attempt on the given worker; null when the task is no longer pending. */
    synchronized TaskAssignment dispatch(String worker, String newFence, Instant now) {
        if (status != TaskStatus.PENDING) {
            return null;
        }
        status = TaskStatus.DISPATCHED;
        attempt++;
        workerId = worker;
        fence = newFence;
        startedAt = now;
        return currentAssignment();
    }

    /** The current attempt as it was sent: its deadline runs from its start. Under the task's lock. */
    private TaskAssignment currentAssignment() {
        return new TaskAssignment(id, attempt, spec.type(), spec.payload(), startedAt.plus(timeout), fence);
    }

    /**
     * @return the assignment of this attempt if it is the task's current one and runs on that
     *         worker; null otherwise
     */
    synchronized TaskAssignment runningAttempt(String worker, int number, String attemptFence) {
        if (status != TaskStatus.DISPATCHED || number != attempt || !attemptFence.equals(fence) || !worker.equals(workerId)) {
            return null;
        }
        return currentAssignment();
    }

    /**
     * DISPATCHED back to PENDING for an attempt that never left: the store could not record it. The
     * attempt's number is given back; nothing is spent.
     */
    synchronized boolean undispatch(int unsent) {
        if (status != TaskStatus.DISPATCHED || unsent != attempt) {
            return false;
        }
        status = TaskStatus.PENDING;
        attempt--;
        return true;
    }

    /** Applies a worker's result if it is for the current attempt; says what happened to it. */
    synchronized Recording record(TaskResult result, Instant now) {
        if (result.attempt() != attempt || !result.fence().equals(fence)) {
            return Recording.STALE;
        }
        if (status != TaskStatus.DISPATCHED) {
            return recordedAttempt == attempt ? Recording.DUPLICATE : Recording.STALE;
        }
        recordedAttempt = attempt;
        switch (result.outcome()) {
            case SUCCEEDED -> finish(TaskStatus.SUCCEEDED, result.output(), null, now);
            case REJECTED -> status = TaskStatus.PENDING;
            case FAILED -> failOrRetry(errorOf(result), now);
            case TIMED_OUT -> finish(TaskStatus.TIMED_OUT, null, errorOf(result), now);
            case CANCELLED -> finish(TaskStatus.ABORTED, null, errorOf(result), now);
        }
        return result.outcome() == Outcome.REJECTED ? Recording.REJECTED : Recording.ACCEPTED;
    }

    /** The attempt ended without a result (worker gone, call failed); true when that changed the task. */
    synchronized boolean attemptLost(int lostAttempt, TaskError why, Instant now) {
        if (status != TaskStatus.DISPATCHED || lostAttempt != attempt) {
            return false;
        }
        failOrRetry(why, now);
        return true;
    }

    /**
     * The scheduler's own deadline for the attempt passed without an answer: the worker is suspect,
     * so the task gets another attempt while attempts remain, and ends TIMED_OUT when none do.
     */
    synchronized boolean timedOut(int lateAttempt, Instant now) {
        if (status != TaskStatus.DISPATCHED || lateAttempt != attempt) {
            return false;
        }
        TaskError noAnswer = TaskError.of(ErrorCode.TIMEOUT, "worker " + workerId + " gave no result within "
                + timeout.toMillis() + " ms plus the grace period", true);
        attemptsSpent++;
        if (attemptsSpent < maxAttempts) {
            status = TaskStatus.PENDING;
        } else {
            finish(TaskStatus.TIMED_OUT, null, new TaskError(noAnswer.code(), noAnswer.message(), false), now);
        }
        return true;
    }

    /** @return attempts that counted against {@code maxAttempts} so far (refusals do not) */
    public synchronized int attemptsSpent() {
        return attemptsSpent;
    }

    /** A worker this task should not go to next (it refused it or did not answer), if others can take it. */
    public String avoidedWorker() {
        return avoidedWorker;
    }

    void avoid(String worker) {
        avoidedWorker = worker;
    }

    /** Any non-final state to ABORTED; true when that changed the task. */
    synchronized boolean abort(Instant now) {
        if (status.isFinal()) {
            return false;
        }
        finish(TaskStatus.ABORTED, null, new TaskError("ABORTED", "aborted by a client", false), now);
        return true;
    }

    private static TaskError errorOf(TaskResult result) {
        return result.error() != null ? result.error() : TaskError.of(ErrorCode.INTERNAL,
                "worker " + result.workerId() + " reported " + result.outcome() + " without an error", false);
    }

    private void failOrRetry(TaskError why, Instant now) {
        attemptsSpent++;
        if (why.retryable() && attemptsSpent < maxAttempts) {
            status = TaskStatus.PENDING;
        } else {
            String detail = attemptsSpent >= maxAttempts && why.retryable()
                    ? why.message() + " (all " + maxAttempts + " attempts spent)" : why.message();
            finish(TaskStatus.FAILED, null, new TaskError(why.code(), detail, false), now);
        }
    }

    private void finish(TaskStatus finalStatus, JsonNode finalOutput, TaskError finalError, Instant now) {
        status = finalStatus;
        output = finalOutput;
        error = finalError;
        finishedAt = now;
    }

    /** What recording a result did. */
    enum Recording {
        /** Recorded: the task changed. */
        ACCEPTED,
        /** The worker refused the task; it is pending again and spent no attempt. */
        REJECTED,
        /** This attempt's result was already recorded. */
        DUPLICATE,
        /** The result is for an attempt that is no longer current. */
        STALE
    }
}
