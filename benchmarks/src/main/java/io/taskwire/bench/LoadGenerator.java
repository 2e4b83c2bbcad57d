package io.taskwire.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Drives a {@link Candidate}: closed loop for throughput, open loop at a fixed rate for latency. */
public final class LoadGenerator {

    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private LoadGenerator() {
    }

    /** @return completed calls per second with {@code inFlight} calls outstanding at all times */
    static double closedLoop(Candidate candidate, int inFlight, Duration duration) {
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Disposable load = Flux.<Integer>generate(sink -> sink.next(0))
                .flatMap(ignored -> candidate.call()
                        .doOnSuccess(reply -> completed.incrementAndGet())
                        .onErrorResume(failure -> countFailure(candidate, failed, failure)), inFlight, 1)
                .subscribe();
        try {
            long start = System.nanoTime();
            long before = completed.get();
            sleep(duration);
            long counted = completed.get() - before;
            return counted * 1e9 / (System.nanoTime() - start);
        } finally {
            load.dispose();
        }
    }

    /**
     * Sends at a fixed rate whatever the replies do, and records each latency from the time the
     * call was meant to be sent, so that a stall counts against every call it delayed.
     */
    static Histogram openLoop(Candidate candidate, double perSecond, Duration duration) {
        Recorder recorder = new Recorder(MAX_LATENCY_NANOS, 3);
        AtomicLong outstanding = new AtomicLong();
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (long intended = start; intended < end; intended += interval) {
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long sendAt = intended;
            outstanding.incrementAndGet();
            candidate.call()
                    .doFinally(signal -> {
                        recorder.recordValue(Math.min(System.nanoTime() - sendAt, MAX_LATENCY_NANOS));
                        outstanding.decrementAndGet();
                    })
                    .subscribe(reply -> { }, failure -> { });
        }
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return recorder.getIntervalHistogram();
    }

    /** A failed call is not counted as done, and does not stop the others. */
    private static <T> Mono<T> countFailure(Candidate candidate, AtomicLong failed, Throwable failure) {
        if (failed.incrementAndGet() == 1) {
            System.err.println(candidate.name() + ": a call failed: " + failure);
        }
        return Mono.empty();
    }

    /** Waits, for the benchmark's timed windows and polls; an interrupt ends the run. */
    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
