package io.taskwire.scheduler.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When schedules are due: one queue of wake-ups ordered by time and one thread armed for the
 * earliest, so that nothing polls, and 10,000 schedules cost one queue entry each and no CPU between
 * their fires. Each wake-up names the schedule's version it was armed for; one armed for an older
 * version is dropped when it comes up. All the firing runs on this one thread.
 */
final class ScheduleTimer implements AutoCloseable {

    private final PriorityQueue<Due> queue = new PriorityQueue<>(Comparator.comparing(Due::at));
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread named = new Thread(runnable, "taskwire-schedules");
        named.setDaemon(true);
        return named;
    });
    private final Clock clock;
    private final Runnable wake;
    private ScheduledFuture<?> armed;
    private Instant armedAt;

    /** @param wake what runs on the timer's thread when a wake-up is due */
    ScheduleTimer(Clock clock, Runnable wake) {
        this.clock = clock;
        this.wake = wake;
    }

    /** Wakes the thread at that time for that version of the schedule. */
    synchronized void at(Instant at, Schedule schedule, long version) {
        queue.add(new Due(at, schedule, version));
        if (armedAt == null || at.isBefore(armedAt)) {
            arm(at);
        }
    }

    /** @return the schedules whose wake-up is due, each once, for their current version; the thread is armed for the next */
    synchronized List<Schedule> takeDue(Instant now) {
        Set<Schedule> due = new LinkedHashSet<>();
        while (!queue.isEmpty() && !queue.peek().at().isAfter(now)) {
            Due next = queue.poll();
            if (next.version() == next.schedule().version()) {
                due.add(next.schedule());
            }
        }
        armedAt = null;
        if (!queue.isEmpty()) {
            arm(queue.peek().at());
        }
        return List.copyOf(due);
    }

    /** Runs the work on the timer's thread, after what is running there. */
    void execute(Runnable work) {
        thread.execute(work);
    }

    /** Forgets every wake-up (the scheduler lost the lead). */
    synchronized void clear() {
        queue.clear();
        if (armed != null) {
            armed.cancel(false);
        }
        armedAt = null;
    }

    @Override
    public void close() {
        clear();
        thread.shutdownNow();
    }

    private void arm(Instant at) {
        if (armed != null) {
            armed.cancel(false);
        }
        armedAt = at;
        long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
        armed = thread.schedule(wake, delay, TimeUnit.NANOSECONDS);
    }

    private record Due(Instant at, Schedule schedule, long version) {
    }
}
