package io.taskwire.worker.execution;

import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import reactor.core.publisher.MonoSink;

/**
 * One attempt running here. It completes exactly once, with whichever comes first of the handler's
 * end, its deadline or a cancel. Its result goes back as the reply to {@code task.execute}; if that
 * reply stream is gone (the connection was lost), the result goes to the outbox instead, so the
 * handler keeps running through a disconnection and its result is not lost.
 */
final class Attempt {

    private final TaskAssignment assignment;
    private final Consumer<TaskResult> orphanedResults;
    private final Consumer<TaskResult> repliedResults;
    private final BooleanSupplier replyStillConnected;
    private MonoSink<TaskResult> reply;
    private Thread runner;
    private boolean stopRequested;
    private TaskResult result;
    private boolean orphaned;
    private volatile boolean cancelled;

    /**
     * @param orphanedResults takes a result whose reply stream was gone before it came
     * @param repliedResults takes a result just sent as the reply, in case the connection turns out dead
     * @param replyStillConnected whether the connection the task came on is still the worker's current one
     */
    Attempt(TaskAssignment assignment, Consumer<TaskResult> orphanedResults, Consumer<TaskResult> repliedResults,
            BooleanSupplier replyStillConnected) {
        this.assignment = assignment;
        this.orphanedResults = orphanedResults;
        this.repliedResults = repliedResults;
        this.replyStillConnected = replyStillConnected;
    }

    /**
     * An attempt whose result has no reply to go back as ({@code task.execute.batch}): it goes to
     * {@code results} when it comes.
     */
    static Attempt detached(TaskAssignment assignment, Consumer<TaskResult> results) {
        Attempt attempt = new Attempt(assignment, results, result -> { }, () -> false);
        attempt.orphaned = true;
        return attempt;
    }

    TaskAssignment assignment() {
        return assignment;
    }

    synchronized void replyTo(MonoSink<TaskResult> sink) {
        reply = sink;
    }

    /**
     * Called by the slot thread before the handler runs.
     *
     * @return false when a cancel or the deadline came first: the handler must not run at all
     */
    synchronized boolean enter() {
        if (stopRequested) {
            return false;
        }
        runner = Thread.currentThread();
        return true;
    }

    /** Called by the slot thread after the handler, so that a late interrupt cannot hit its next task. */
    synchronized void exit() {
        runner = null;
        Thread.interrupted();
    }

    /** The first result wins; later ones (a handler finishing after its deadline) are dropped. */
    synchronized void complete(TaskResult first) {
        if (result != null) {
            return;
        }
        result = first;
        if (orphaned) {
            orphanedResults.accept(first);
            return;
        }
        // remembered before the connection is checked: a disconnection noticed from now on resends it
        repliedResults.accept(first);
        if (replyStillConnected.getAsBoolean()) {
            reply.success(first);
        } else {
            // the reply's connection is gone (maybe not yet noticed by its stream): use the outbox
            orphanedResults.accept(first);
        }
    }

    /** The reply stream is gone: the result, when it comes, goes to the outbox. */
    synchronized void orphan() {
        if (result == null) {
            orphaned = true;
        }
    }

    /** Stops the handler on behalf of {@code task.cancel}; it then ends as CANCELLED. */
    void cancel() {
        cancelled = true;
        interrupt();
    }

    boolean cancelled() {
        return cancelled;
    }

    /**
     * Interrupts the handler's thread, or keeps it from starting; a handler that ignores the
     * interrupt is abandoned, its slot still held until it returns.
     */
    synchronized void interrupt() {
        stopRequested = true;
        if (runner != null) {
            runner.interrupt();
        }
    }
}
