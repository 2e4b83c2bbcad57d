package io.taskwire.it.faults;

import static org.awaitility.Awaitility.await;

import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import java.util.List;

/**
 * A scheduler and two worker processes where the first gets every task: the second boots alongside,
 * but its network stays cut until the first holds them all, then it joins to take what the first
 * drops. The fault tests then do something to the first.
 */
final class FirstTakesAll implements AutoCloseable {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    final InProcessScheduler scheduler;
    final WorkerProcess first;
    final WorkerProcess second;
    final Ledger ledger;
    private final TcpProxy heldBack;
    private final Closer closer;

    private FirstTakesAll(Closer closer, InProcessScheduler scheduler, TcpProxy heldBack, WorkerProcess first,
                          WorkerProcess second, Ledger ledger) {
        this.closer = closer;
        this.scheduler = scheduler;
        this.heldBack = heldBack;
        this.first = first;
        this.second = second;
        this.ledger = ledger;
    }

    /**
     * @param firstId the first worker's id
     * @param secondId the second worker's id
     * @param slots slots of each
     * @param firstProperties more properties for the first worker, as {@code --key=value}
     */
    static FirstTakesAll start(String firstId, String secondId, int slots, String... firstProperties) throws Exception {
        Closer closer = new Closer();
        try {
            InProcessScheduler scheduler = closer.add(InProcessScheduler.start());
            TcpProxy heldBack = closer.add(TcpProxy.to(scheduler.rsocketPort()));
            heldBack.cut();
            WorkerProcess first = closer.add(WorkerProcess.start(firstId, slots, scheduler.rsocketPort(), firstProperties));
            WorkerProcess second = closer.add(WorkerProcess.start(secondId, slots, heldBack.port()));
            first.awaitRegistered(scheduler.registry(), WorkerProcess.STARTUP);
            await().atMost(WorkerProcess.STARTUP).until(() -> heldBack.refusedConnections() > 0);
            Ledger ledger = closer.add(Ledger.open(scheduler.client(firstId), SleepTasks.TYPE));
            return new FirstTakesAll(closer, scheduler, heldBack, first, second, ledger);
        } catch (Exception | AssertionError failed) {
            closer.close();
            throw failed;
        }
    }

    /** Submits the tasks, waits until the first worker runs all of them, then lets the second join. */
    List<TaskView> handToFirst(List<TaskSpec> tasks) throws Exception {
        List<TaskView> submitted = ledger.submitAll(tasks);
        await().atMost(WITHIN).until(() -> scheduler.inFlight(first.id()) == tasks.size());
        heldBack.restore();
        second.awaitRegistered(scheduler.registry(), WITHIN);
        return submitted;
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
