package io.taskwire.transport;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The log of what peers get wrong (bad data, refused SETUPs, failed fire-and-forget): the first of
 * each kind in an interval is one WARN line, the rest of that interval one more line with their count
 * and the latest detail, so that a flood of bad input costs a few lines a minute, never a line (or a
 * stack trace) per request. Kinds are few and fixed by the callers (a route and an error code);
 * past {@value #MAX_KINDS} of them, the rest share one.
 */
public final class PeerErrorLog {

    /** The log every transport class reports peer errors to: one line per kind per minute. */
    public static final PeerErrorLog SHARED = new PeerErrorLog(LoggerFactory.getLogger(PeerErrorLog.class),
            Duration.ofMinutes(1), Schedulers.parallel());

    static final int MAX_KINDS = 256;
    private static final String OTHER = "other peer errors";

    private final Logger log;
    private final long intervalNanos;
    private final Scheduler scheduler;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    PeerErrorLog(Logger log, Duration interval, Scheduler scheduler) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.scheduler = scheduler;
    }

    /**
     * Reports one peer error.
     *
     * @param kind what went wrong, from a small fixed set (e.g. "refused SETUP UNAUTHORIZED")
     * @param detail this occurrence (who, what exactly); logged for the first and the latest of an interval
     */
    public void warn(String kind, String detail) {
        report(kind, detail, null);
    }

    /**
     * Reports a failure a peer's request caused that the code did not expect: an ERROR with its stack
     * trace for the first of the kind in an interval, counted like the others after that.
     *
     * @param kind what was being handled
     * @param failure what was thrown
     */
    public void unexpected(String kind, Throwable failure) {
        report(kind, String.valueOf(failure), failure);
    }

    private void report(String kind, String detail, Throwable failure) {
        String key = windows.size() >= MAX_KINDS && !windows.containsKey(kind) ? OTHER : kind;
        long now = System.nanoTime();
        Window window = windows.computeIfAbsent(key, k -> new Window());
        boolean first;
        boolean scheduleSummary = false;
        long unreported = 0;
        String unreportedLatest = null;
        synchronized (window) {
            if (window.started == 0 || now - window.started >= intervalNanos) {
                unreported = window.suppressed;
                unreportedLatest = window.latest;
                window.started = now;
                window.suppressed = 0;
                first = true;
            } else {
                first = false;
                window.latest = detail;
                scheduleSummary = window.suppressed++ == 0;
            }
        }
        if (unreported > 0) {
            summary(key, unreported, unreportedLatest);
        }
        if (first && failure != null) {
            log.error("{}", key, failure);
        } else if (first) {
            log.warn("{}: {}", key, detail);
        } else if (scheduleSummary) {
            long remaining = Math.max(0, intervalNanos - (now - window.started));
            scheduler.schedule(() -> summarize(key, window), remaining, TimeUnit.NANOSECONDS);
        }
    }

    private void summarize(String key, Window window) {
        long count;
        String latest;
        synchronized (window) {
            count = window.suppressed;
            latest = window.latest;
            window.suppressed = 0;
            window.started = 0;
        }
        if (count > 0) {
            summary(key, count, latest);
        }
    }

    private void summary(String key, long count, String latest) {
        log.warn("{}: {} more in the last {} s; the latest: {}", key, count,
                TimeUnit.NANOSECONDS.toSeconds(intervalNanos), latest);
    }

    private static final class Window {
        long started;
        long suppressed;
        String latest;
    }
}
