package io.taskwire.scheduler.dispatch;

import io.taskwire.messages.Routing;
import io.taskwire.messages.TaskStatus;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.task.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pending tasks, one FIFO per task type, matched to free slots on one thread. Work is driven by
 * signals (a task queued, a slot freed, a worker joined), never by polling: a signal that arrives
 * while a pass runs makes the pass run once more, so none is lost.
 *
 * <p>The tasks one pass gives the same worker leave together, at the end of the pass or as soon as
 * they reach the batch size: a lone task leaves at the end of its pass, with no lingering.
 */
class DispatchQueue {

    private static final Logger log = LoggerFactory.getLogger(DispatchQueue.class);

    private final WorkerRegistry registry;
    private final Starter starter;
    private final int batchSize;
    private final Map<WorkerSession, List<Task>> round = new LinkedHashMap<>();
    /** Tasks queued together stay together, so that one pass sees all of them or none. */
    private final ConcurrentLinkedQueue<List<Task>> incoming = new ConcurrentLinkedQueue<>();
    private final Map<String, ArrayDeque<Task>> byType = new HashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger signals = new AtomicInteger();
    private final WorkerPicker picker = new WorkerPicker();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "taskwire-dispatch");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param starter starts the tasks the queue gives a worker
     * @param batchSize most tasks given one worker at once
     */
    DispatchQueue(WorkerRegistry registry, Starter starter, int batchSize) {
        this.registry = registry;
        this.starter = starter;
        this.batchSize = batchSize;
    }

    void add(Task task) {
        size.incrementAndGet();
        incoming.add(List.of(task));
        signal();
    }

    /** Queues tasks together, so that one pass sees them all and can batch them. */
    void addAll(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        size.addAndGet(tasks.size());
        incoming.add(tasks);
        signal();
    }

    int size() {
        return size.get();
    }

    void signal() {
        if (signals.getAndIncrement() == 0) {
            thread.execute(this::drain);
        }
    }

    void shutdown() {
        thread.shutdownNow();
    }

    private void drain() {
        int missed = 1;
        do {
            try {
                pass();
            } catch (RuntimeException e) {
                log.error("Dispatch pass failed; the next signal retries", e);
            }
            missed = signals.addAndGet(-missed);
        } while (missed != 0);
    }

    private void pass() {
        try {
            match();
        } finally {
            // whatever happened, tasks holding slots must leave: an unsent one would hold its slot forever
            round.forEach(starter::start);
            round.clear();
        }
    }

    private void match() {
        for (List<Task> tasks = incoming.poll(); tasks != null; tasks = incoming.poll()) {
            for (Task task : tasks) {
                byType.computeIfAbsent(task.type(), type -> new ArrayDeque<>()).add(task);
            }
        }
        List<WorkerSession> workers = new ArrayList<>(registry.live());
        workers.removeIf(session -> !session.acceptsWork() || !starter.available(session));
        workers.sort(Comparator.comparing(WorkerSession::id));
        for (Iterator<Map.Entry<String, ArrayDeque<Task>>> types = byType.entrySet().iterator(); types.hasNext(); ) {
            Map.Entry<String, ArrayDeque<Task>> entry = types.next();
            dispatchType(entry.getKey(), entry.getValue(), workers);
            if (entry.getValue().isEmpty()) {
                types.remove();
            }
        }
    }

    private void dispatchType(String type, ArrayDeque<Task> tasks, List<WorkerSession> workers) {
        List<WorkerSession> candidates = workers.stream().filter(session -> session.handles(type)).toList();
        for (Iterator<Task> it = tasks.iterator(); it.hasNext() && anyFree(candidates); ) {
            Task task = it.next();
            if (task.status() != TaskStatus.PENDING) {
                it.remove();
                size.decrementAndGet();
                continue;
            }
            WorkerSession worker = picker.pick(task.spec().routing(), task.spec().key(), eligible(task, candidates));
            if (worker != null && worker.tryReserveSlot()) {
                if (!starter.admit(worker)) {
                    worker.releaseSlot();
                    continue;
                }
                it.remove();
                size.decrementAndGet();
                assign(task, worker);
            }
        }
    }

    /** Adds the task to what the worker gets in this pass; a full batch leaves at once. */
    private void assign(Task task, WorkerSession worker) {
        List<Task> tasks = round.computeIfAbsent(worker, session -> new ArrayList<>());
        tasks.add(task);
        if (tasks.size() >= batchSize) {
            round.remove(worker);
            starter.start(worker, tasks);
        }
    }

    /** Workers carrying the task's labels, without the one it should avoid unless that is the only one. */
    private static List<WorkerSession> eligible(Task task, List<WorkerSession> candidates) {
        Routing routing = task.spec().routing();
        String avoided = task.avoidedWorker();
        List<WorkerSession> eligible = routing.labels().isEmpty() ? candidates
                : candidates.stream().filter(session -> session.matches(routing.labels())).toList();
        if (avoided != null && eligible.size() > 1) {
            return eligible.stream().filter(session -> !session.id().equals(avoided)).toList();
        }
        return eligible;
    }

    private static boolean anyFree(List<WorkerSession> candidates) {
        for (WorkerSession session : candidates) {
            if (session.freeSlots() > 0) {
                return true;
            }
        }
        return false;
    }

    /** What the queue asks of the owner of the attempts ({@link Attempts}). */
    interface Starter {

        /** @return whether the worker may be offered tasks at all (its breaker is not open) */
        boolean available(WorkerSession worker);

        /**
         * Takes a permission of the worker's breaker for one more task.
         *
         * @return false when the breaker refuses; the queue then gives the reserved slot back
         */
        boolean admit(WorkerSession worker);

        /** Starts the tasks of one round on the worker, each holding a reserved slot and a permission. */
        void start(WorkerSession worker, List<Task> tasks);
    }
}
