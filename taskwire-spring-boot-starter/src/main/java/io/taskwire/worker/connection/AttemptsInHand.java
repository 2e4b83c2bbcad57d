package io.taskwire.worker.connection;

import io.taskwire.messages.RunningAttempt;
import java.util.List;

/**
 * Attempts the worker still has in hand: running, or finished with a result not yet delivered. Each
 * dial lists them in the hello ({@code running}), so that a scheduler that restarted or took over
 * re-attaches them instead of running them again (PROTOCOL.md section 5).
 */
public interface AttemptsInHand {

    /** @return the attempts, most important first (running ones before undelivered results) */
    List<RunningAttempt> attemptsInHand();
}
