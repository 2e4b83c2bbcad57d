package io.taskwire.scheduler.dispatch;

import io.rsocket.exceptions.ApplicationErrorException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.transport.ProtocolErrors;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.core.codec.CodecException;

/**
 * How an attempt ended, judged from what its worker answered or what happened to the call. Each
 * kind has one effect on the task, the worker's slot and its breaker, applied by {@link Attempts}.
 */
sealed interface Ending {

    /** Answers that mean the worker did not start the task: no attempt spent, not the worker's failure. */
    Set<ErrorCode> REFUSALS = Set.of(ErrorCode.AT_CAPACITY, ErrorCode.DRAINING, ErrorCode.UNKNOWN_TASK_TYPE);

    /** The worker's result for this very attempt: recorded as it says. */
    record Result(TaskResult result) implements Ending {
    }

    /** The worker did not start the task (at capacity, draining, an unknown type). */
    record Refused(ProtocolException why) implements Ending {
    }

    /** The worker answered with an error: the attempt is spent, and retried where the error may pass. */
    record ErrorAnswer(ProtocolException why) implements Ending {
    }

    /** The attempt never left: its dispatch could not be stored. No attempt spent, not the worker's failure. */
    record NotStored(Throwable failure) implements Ending {
    }

    /** The connection failed during the attempt. */
    record Lost(Throwable failure) implements Ending {
    }

    /** The worker answered with something that is not this attempt's result: its fault, not the task's. */
    record Malformed(String what) implements Ending {
    }

    /** No result by the scheduler's deadline. */
    record Unanswered() implements Ending {
    }

    /** A reply to {@code task.execute}: the attempt's result, or malformed if it is another attempt's. */
    static Ending ofReply(Attempt attempt, TaskResult result) {
        if (attempt.answeredBy(result)) {
            return new Result(result);
        }
        TaskAssignment assignment = attempt.assignment();
        return new Malformed("answered task.execute for task " + assignment.taskId() + " attempt "
                + assignment.attempt() + " fence " + assignment.fence() + " with the result of task "
                + result.taskId() + " attempt " + result.attempt() + " fence " + result.fence());
    }

    /** A call that failed: timed out, answered with an error or with data that does not parse, or lost. */
    static Ending ofFailure(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return new Unanswered();
        }
        if (failure instanceof CodecException unreadable) {
            return new Malformed("answered task.execute with data that does not parse: "
                    + Json.describe("reply", unreadable.getMostSpecificCause()));
        }
        if (failure instanceof ApplicationErrorException || failure instanceof ProtocolException) {
            return ofError(ProtocolErrors.fromPeer(failure));
        }
        return new Lost(failure);
    }

    /** An error the worker answered with: a refusal, or an error that spends the attempt. */
    static Ending ofError(ProtocolException error) {
        return REFUSALS.contains(error.code()) ? new Refused(error) : new ErrorAnswer(error);
    }

    /**
     * A task a batch receipt did not accept.
     *
     * @param code the code of its rejection; null when the receipt left the task out
     */
    static Ending ofReceipt(Attempt attempt, String code) {
        String worker = "worker " + attempt.session().id();
        return ofError(code != null
                ? new ProtocolException(ErrorCode.fromWire(code), worker + " refused the task in a batch: " + code)
                : new ProtocolException(ErrorCode.INTERNAL, worker + " neither accepted nor refused the task in its receipt"));
    }
}
