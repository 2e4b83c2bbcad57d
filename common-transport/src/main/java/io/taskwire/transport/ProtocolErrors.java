package io.taskwire.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.exceptions.RejectedSetupException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.InvalidMessageException;
import io.taskwire.messages.Json;
import io.taskwire.messages.ProtocolException;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;

/**
 * Turns any failure into the protocol's error (PROTOCOL.md section 2), so that a peer always gets
 * {@code {"code","message"}} and never a Java class name or a stack trace.
 */
public final class ProtocolErrors {

    private ProtocolErrors() {
    }

    /**
     * Finds the protocol error a failure stands for.
     *
     * @param failure anything a handler or a decoder threw
     * @param what what was being handled, for messages about bad data (e.g. "data of task.submit")
     * @return the protocol error; an unexpected failure becomes {@link ErrorCode#INTERNAL}, logged (rate-limited) here
     */
    public static ProtocolException of(Throwable failure, String what) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProtocolException protocol) {
                return protocol;
            }
            if (cause instanceof JsonProcessingException || cause instanceof InvalidMessageException) {
                return Json.invalid(what, cause);
            }
            if (cause instanceof DataBufferLimitException) {
                return new ProtocolException(ErrorCode.PAYLOAD_TOO_LARGE, what + " is larger than the limit");
            }
            if (cause instanceof TimeoutException) {
                return new ProtocolException(ErrorCode.TIMEOUT, what + " timed out");
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        PeerErrorLog.SHARED.unexpected("Unexpected failure handling " + what, failure);
        return new ProtocolException(ErrorCode.INTERNAL, "internal error handling " + what + "; see the receiver's log");
    }

    /**
     * @param failure anything a handler threw
     * @param what what was being handled
     * @return an {@code APPLICATION_ERROR} frame carrying the protocol's JSON
     */
    public static ApplicationErrorException toApplicationError(Throwable failure, String what) {
        if (failure instanceof ApplicationErrorException already) {
            return already;
        }
        return new ApplicationErrorException(of(failure, what).getMessage());
    }

    /**
     * @param failure why a SETUP was refused
     * @return a {@code REJECTED_SETUP} frame carrying the protocol's JSON
     */
    public static RejectedSetupException toRejectedSetup(Throwable failure) {
        if (failure instanceof RejectedSetupException already) {
            return already;
        }
        return new RejectedSetupException(of(failure, "SETUP").getMessage());
    }

    /**
     * Reads the protocol error out of an error received from a peer.
     *
     * @param failure the error a request ended with
     * @return the protocol error it carries; a transport failure is returned as {@link ErrorCode#INTERNAL}
     */
    public static ProtocolException fromPeer(Throwable failure) {
        if (failure instanceof ProtocolException protocol) {
            return protocol;
        }
        if (failure instanceof io.rsocket.RSocketErrorException rsocket) {
            return ProtocolException.fromWire(rsocket.getMessage());
        }
        if (failure instanceof TimeoutException) {
            return new ProtocolException(ErrorCode.TIMEOUT, "no answer in time", failure);
        }
        return new ProtocolException(ErrorCode.INTERNAL, String.valueOf(failure.getMessage()), failure);
    }
}
