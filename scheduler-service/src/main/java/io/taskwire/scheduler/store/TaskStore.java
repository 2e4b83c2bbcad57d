package io.taskwire.scheduler.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.springframework.core.NestedExceptionUtils;

/**
 * Where tasks are kept across restarts (PROTOCOL.md section 7): a database behind
 * {@link JdbcTaskStore}, or nothing at all in the in-memory mode ({@link InMemoryTaskStore}). The
 * scheduler's working set lives in its memory either way; the store is the truth after a restart.
 * Writes carry a task's whole row, so that the last write committed is the task's state.
 */
public interface TaskStore {

    /** @return whether what is written here survives a restart; false in the in-memory mode */
    boolean durable();

    /**
     * @return whether other schedulers can share this store, and so take the lead from this one; a
     *         scheduler alone on its store keeps the lead whatever pauses it
     */
    default boolean shared() {
        return false;
    }

    /** Stores a new task; the future completes once that is committed, exceptionally when it could not be. */
    CompletableFuture<Void> insert(TaskRow row);

    /**
     * Stores a task a schedule fired together with the schedule's new state, in one transaction: both
     * or neither. The future completes once that is committed, exceptionally when it could not be.
     */
    CompletableFuture<Void> insert(TaskRow row, ScheduleRow schedule);

    /** Stores a schedule, new or changed; the future completes once that is committed. */
    CompletableFuture<Void> put(ScheduleRow schedule);

    /** Deletes a schedule (the tasks it fired stay); the future completes once that is committed. */
    CompletableFuture<Void> deleteSchedule(String scheduleId);

    /** @return every schedule: what a scheduler that takes the lead goes on with */
    List<ScheduleRow> schedules();

    /** @return the newest tasks the schedule fired, newest first, at most {@code limit} */
    List<TaskRow> firedBy(String scheduleId, int limit);

    /** Stores a task's new state; the future completes once that is committed, exceptionally when it could not be. */
    CompletableFuture<Void> update(TaskRow row);

    Optional<TaskRow> find(String taskId);

    Optional<TaskRow> findByIdempotencyKey(String key);

    /** @return the tasks the query selects, in its order, from its cursor on */
    List<TaskRow> list(TaskQuery query);

    /** @return every task not yet final, oldest first: what a scheduler goes on with after a restart */
    List<TaskRow> unfinished();

    /**
     * @return why the store cannot be written to now (new tasks are refused meanwhile); null while it
     *         can, and always in the in-memory mode
     */
    default Throwable unwritable() {
        return null;
    }

    /** @return writes waiting for their commit */
    default int queuedWrites() {
        return 0;
    }

    /**
     * Takes the lead among the schedulers sharing the store, if nobody holds it or its holder's
     * lease has expired, and with it the next epoch (PROTOCOL.md sections 5 and 7); from then on
     * this store's writes change nothing once another scheduler takes the lead.
     *
     * @param holder this scheduler process's id
     * @param address what this scheduler advertises to workers and clients
     * @param lease how long the lead is held without a renewal
     * @return the epoch taken, larger than any taken before; empty while another holder's lease runs
     */
    OptionalLong acquireLead(String holder, String address, Duration lease);

    /** @return whether the holder still leads with that epoch; its lease then runs again from now */
    boolean renewLead(String holder, long epoch, Duration lease);

    /** Gives the lead up, if the holder still has it with that epoch, so that a standby takes it at once. */
    void releaseLead(String holder, long epoch);

    /** @return who leads now; empty when nobody does or the lease has expired */
    Optional<Lead> currentLead();

    /**
     * @return how long ago the last lease expired or was given up, on the store's clock; empty
     *         while a holder's lease runs
     */
    Optional<Duration> leaseLapsedFor();

    /** Records that a scheduler is up, in that role, on the store's clock. */
    void seen(String holder, String address, String role);

    /** @return every scheduler sharing the store that said it was up, with how long ago */
    List<SchedulerSeen> schedulers();

    /** Forgets the scheduler {@code holder} (it stops), and those unseen for longer than {@code unseenFor}. */
    void forgetSchedulers(String holder, Duration unseenFor);

    /**
     * @return what the database said of a failure: the first line of its own message, without the
     *         SQL of the statement that Spring's wrapper names
     */
    static String said(Throwable failure) {
        return String.valueOf(NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).lines()
                .findFirst().orElse("");
    }
}
