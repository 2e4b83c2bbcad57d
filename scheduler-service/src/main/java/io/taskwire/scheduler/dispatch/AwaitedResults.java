package io.taskwire.scheduler.dispatch;

import io.taskwire.messages.TaskResult;
import io.taskwire.scheduler.registry.WorkerSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * The attempts whose results are awaited, by fence. Each is claimed exactly once, by whichever comes
 * first: its result (a reply or {@code task.result}), its refusal in a batch receipt, the failure of
 * its call, its deadline, or its worker's departure. Whoever claims it ends it; the others find it
 * gone and do nothing. What was attached to it (its call, its deadline's timer) is disposed then.
 */
final class AwaitedResults {

    private final ConcurrentHashMap<String, Awaited> byFence = new ConcurrentHashMap<>();

    /**
     * Starts awaiting the attempt's result.
     *
     * @return this wait, which its own deadline claims by: an attempt awaited again (a batch's
     *         attempt sent alone) must not be claimed by the first wait's deadline
     */
    Awaited add(Attempt attempt) {
        Awaited awaited = new Awaited(attempt, Disposables.composite());
        byFence.put(attempt.assignment().fence(), awaited);
        return awaited;
    }

    /** Disposes {@code work} once the wait is claimed; at once if it was claimed already. */
    void attach(Awaited awaited, Disposable work) {
        if (!awaited.attached.add(work)) {
            work.dispose();
        }
    }

    /** @return true for the one caller that takes this very wait over */
    boolean claim(Awaited awaited) {
        return release(awaited);
    }

    /** @return true for the one caller that takes the attempt over */
    boolean claim(Attempt attempt) {
        Awaited awaited = byFence.get(attempt.assignment().fence());
        return awaited != null && awaited.attempt == attempt && release(awaited);
    }

    /** @return the awaited attempt this result ends, taken over; null when it ends none */
    Attempt claim(TaskResult result) {
        Awaited awaited = byFence.get(result.fence());
        return awaited != null && awaited.attempt.answeredBy(result) && release(awaited) ? awaited.attempt : null;
    }

    /** @return the attempts awaited from a worker, all taken over */
    List<Attempt> claimAll(WorkerSession session) {
        List<Attempt> claimed = new ArrayList<>();
        for (Awaited awaited : byFence.values()) {
            if (awaited.attempt.session() == session && release(awaited)) {
                claimed.add(awaited.attempt);
            }
        }
        return claimed;
    }

    private boolean release(Awaited awaited) {
        if (!byFence.remove(awaited.attempt.assignment().fence(), awaited)) {
            return false;
        }
        awaited.attached.dispose();
        return true;
    }

    /** One wait for an attempt's result, and what it disposes once claimed (its call, its deadline's timer). */
    record Awaited(Attempt attempt, Disposable.Composite attached) {
    }
}
