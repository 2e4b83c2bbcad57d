package io.taskwire.scheduler.dispatch;

import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.scheduler.registry.WorkerSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Attempts whose results are awaited: those sent in a {@code task.execute.batch}, whose results come
 * by {@code task.result}, and those sent by {@code task.execute}, whose result may come by the reply
 * or, when the worker judged the reply's connection gone, by {@code task.result}. Each is claimed
 * exactly once, by whichever comes first: its result, its reply, its refusal in the receipt, the
 * failure of the call, its deadline, or its worker's departure. Whoever claims it ends it; the
 * others find it gone and do nothing.
 */
final class AwaitedResults {

    private final ConcurrentHashMap<String, Awaited> byFence = new ConcurrentHashMap<>();

    /** Waits for the attempt's result; when {@code deadline} passes first, claims it for {@code onDeadline}. */
    void await(Attempt attempt, Duration deadline, Consumer<Attempt> onDeadline) {
        Awaited awaited = new Awaited(attempt);
        byFence.put(attempt.assignment().fence(), awaited);
        awaited.timer = Schedulers.parallel().schedule(() -> {
            if (claim(attempt)) {
                onDeadline.accept(attempt);
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for the reply of a {@code task.execute} call, or for the result by {@code task.result},
     * whichever claims the attempt first; a result that wins disposes the call.
     *
     * @param call makes the call; its callbacks must {@link #claim(Attempt)} before ending the attempt
     */
    void awaitReply(Attempt attempt, Supplier<Disposable> call) {
        Awaited awaited = new Awaited(attempt);
        byFence.put(attempt.assignment().fence(), awaited);
        awaited.timer = call.get();
    }

    /** @return true for the one caller that takes the attempt over */
    boolean claim(Attempt attempt) {
        Awaited awaited = byFence.get(attempt.assignment().fence());
        return awaited != null && awaited.attempt == attempt && release(awaited);
    }

    /** @return the awaited attempt this result ends, taken over; null when it ends none */
    Attempt claim(TaskResult result) {
        Awaited awaited = byFence.get(result.fence());
        if (awaited == null) {
            return null;
        }
        TaskAssignment assignment = awaited.attempt.assignment();
        boolean matches = assignment.taskId().equals(result.taskId()) && assignment.attempt() == result.attempt();
        return matches && release(awaited) ? awaited.attempt : null;
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

    /** @return attempts awaited now */
    int size() {
        return byFence.size();
    }

    private boolean release(Awaited awaited) {
        if (!byFence.remove(awaited.attempt.assignment().fence(), awaited)) {
            return false;
        }
        Disposable timer = awaited.timer;
        if (timer != null) {
            timer.dispose();
        }
        return true;
    }

    private static final class Awaited {

        final Attempt attempt;
        volatile Disposable timer;

        Awaited(Attempt attempt) {
            this.attempt = attempt;
        }
    }
}
