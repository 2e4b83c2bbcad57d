package io.taskwire.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One kind of hostile peer of the soak, run on threads of its own from its own loopback address
 * until stopped. It counts what it got back, by answer, so that the report shows the documented
 * answers arrived.
 */
abstract class Attack implements AutoCloseable {

    private final String name;
    private final String sourceAddress;
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param name the attack, in the report
     * @param sourceAddress the loopback address it dials from (127.0.0.x), its own
     */
    Attack(String name, String sourceAddress) {
        this.name = name;
        this.sourceAddress = sourceAddress;
    }

    /** @return what it sends and how fast, for the report */
    abstract String description();

    /** Starts its threads. */
    abstract void start();

    String name() {
        return name;
    }

    /** @return its name as {@code --attacks} takes it: {@code heartbeat-flood} */
    String slug() {
        return name.replace(' ', '-');
    }

    String sourceAddress() {
        return sourceAddress;
    }

    boolean running() {
        return running;
    }

    /** Counts one answer (or event) of the given kind. */
    void count(String answer) {
        count(answer, 1);
    }

    /** Counts {@code n} answers (or events) of the given kind. */
    void count(String answer, long n) {
        answers.computeIfAbsent(answer, key -> new LongAdder()).add(n);
    }

    /** @return facts beyond the counted answers, for its row of the report; none by default */
    List<String> notes() {
        return List.of();
    }

    /** @return the answers counted so far, by kind */
    Map<String, Long> answers() {
        Map<String, Long> copy = new TreeMap<>();
        answers.forEach((answer, count) -> copy.put(answer, count.sum()));
        return copy;
    }

    /**
     * Runs {@code step} on a thread of its own at fixed intended times, {@code perSecond} a second
     * (or back to back when 0), until stopped; a step that falls behind is not made up for.
     */
    void paced(String thread, double perSecond, Step step) {
        running = true;
        long interval = perSecond <= 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        Thread runner = new Thread(() -> {
            long next = System.nanoTime();
            while (running) {
                try {
                    step.run();
                } catch (Exception e) {
                    count("attacker error: " + e.getClass().getSimpleName());
                }
                next += interval;
                long now = System.nanoTime();
                if (next < now) {
                    next = now;
                } else if (running) {
                    LockSupport.parkNanos(next - now);
                }
            }
        }, "soak-" + name + "-" + thread);
        runner.setDaemon(true);
        threads.add(runner);
        runner.start();
    }

    /** One go of the attack; may block for a bounded time. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** Stops the threads and waits for them, closing what they hold. */
    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        stopped();
    }

    /** Closes whatever the attack holds beyond its threads. */
    void stopped() {
    }
}
