package io.taskwire.it.faults;

import static org.awaitility.Awaitility.await;

import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import java.util.List;

/**
 * A scheduler and two worker processes where the target gets every task: the backup boots alongside,
 * but its network stays cut until the target holds them all, then it joins to take what the target
 * drops. The fault tests then do something to the target.
 */
final class FirstTakesAll implements AutoCloseable {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    final InProcessScheduler scheduler;
    /** The worker that gets every task, and that the test does something to. */
    final WorkerProcess target;
    /** The worker that joins once the target holds every task, to take what it drops. */
    final WorkerProcess backup;
    final Ledger ledger;
    private final TcpProxy heldBack;
    private final Closer closer;

    private FirstTakesAll(Closer closer, InProcessScheduler scheduler, TcpProxy heldBack, WorkerProcess target,
                          WorkerProcess backup, Ledger ledger) {
        this.closer = closer;
        this.scheduler = scheduler;
        this.heldBack = heldBack;
        this.target = target;
        this.backup = backup;
        this.ledger = ledger;
    }

    /**
     * @param targetId the target's id
     * @param backupId the backup's id
     * @param slots slots of each
     * @param targetProperties more properties for the target, as {@code --key=value}
     */
    static FirstTakesAll start(String targetId, String backupId, int slots, String... targetProperties) throws Exception {
        Closer closer = new Closer();
        try {
            InProcessScheduler scheduler = closer.add(InProcessScheduler.start());
            TcpProxy heldBack = closer.add(TcpProxy.to(scheduler.rsocketPort()));
            heldBack.cut();
            WorkerProcess target = closer.add(WorkerProcess.start(targetId, slots, scheduler.rsocketPort(), targetProperties));
            WorkerProcess backup = closer.add(WorkerProcess.start(backupId, slots, heldBack.port()));
            target.awaitRegistered(scheduler.registry(), WorkerProcess.STARTUP);
            await().atMost(WorkerProcess.STARTUP).until(() -> heldBack.refusedConnections() > 0);
            Ledger ledger = closer.add(Ledger.open(scheduler.client(targetId), SleepTasks.TYPE));
            return new FirstTakesAll(closer, scheduler, heldBack, target, backup, ledger);
        } catch (Exception | AssertionError failed) {
            closer.close();
            throw failed;
        }
    }

    /** Submits the tasks, waits until the target runs all of them, then lets the backup join. */
    List<TaskView> handToFirst(List<TaskSpec> tasks) throws Exception {
        List<TaskView> submitted = ledger.submitAll(tasks);
        await().atMost(WITHIN).until(() -> scheduler.inFlight(target.id()) == tasks.size());
        heldBack.restore();
        backup.awaitRegistered(scheduler.registry(), WITHIN);
        return submitted;
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
