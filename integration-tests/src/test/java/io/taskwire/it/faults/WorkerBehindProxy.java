package io.taskwire.it.faults;

import java.util.List;

/**
 * A scheduler and one worker process whose connection runs through a {@link TcpProxy}, so that a
 * test can cut it; with a ledger watching the sleep tasks.
 */
final class WorkerBehindProxy implements AutoCloseable {

    final InProcessScheduler scheduler;
    final TcpProxy network;
    final WorkerProcess worker;
    final Ledger ledger;
    private final Closer closer;

    private WorkerBehindProxy(Closer closer, InProcessScheduler scheduler, TcpProxy network, WorkerProcess worker,
                              Ledger ledger) {
        this.closer = closer;
        this.scheduler = scheduler;
        this.network = network;
        this.worker = worker;
        this.ledger = ledger;
    }

    /**
     * @param workerId the worker's id
     * @param slots its slots
     * @param schedulerProperties more scheduler properties, as {@code --key=value}
     * @param workerProperties more worker properties, as {@code --key=value}
     */
    static WorkerBehindProxy start(String workerId, int slots, List<String> schedulerProperties,
                                   List<String> workerProperties) throws Exception {
        Closer closer = new Closer();
        try {
            InProcessScheduler scheduler = closer.add(InProcessScheduler.startWith(
                    schedulerProperties.toArray(String[]::new)));
            TcpProxy network = closer.add(TcpProxy.to(scheduler.rsocketPort()));
            WorkerProcess worker = closer.add(WorkerProcess.start(workerId, slots, network.port(),
                    workerProperties.toArray(String[]::new)));
            worker.awaitRegistered(scheduler.registry(), WorkerProcess.STARTUP);
            Ledger ledger = closer.add(Ledger.open(scheduler.client(workerId), SleepTasks.TYPE));
            return new WorkerBehindProxy(closer, scheduler, network, worker, ledger);
        } catch (Exception | AssertionError failed) {
            closer.close();
            throw failed;
        }
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
