package io.taskwire.scheduler.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The in-memory mode ({@code taskwire.scheduler.store.in-memory=true}): nothing is stored, every
 * write is done at once, and a restart starts empty. For benchmarks and development only.
 */
public final class InMemoryTaskStore implements TaskStore {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Clock clock;

    public InMemoryTaskStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public CompletableFuture<Void> insert(TaskRow row) {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> insert(TaskRow row, ScheduleRow schedule) {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> put(ScheduleRow schedule) {
        return DONE;
    }

    @Override
    public CompletableFuture<Void> deleteSchedule(String scheduleId) {
        return DONE;
    }

    /** Nothing is stored: a start has no schedules. */
    @Override
    public List<ScheduleRow> schedules() {
        return List.of();
    }

    @Override
    public List<TaskRow> firedBy(String scheduleId, int limit) {
        return List.of();
    }

    @Override
    public CompletableFuture<Void> update(TaskRow row) {
        return DONE;
    }

    @Override
    public Optional<TaskRow> find(String taskId) {
        return Optional.empty();
    }

    @Override
    public Optional<TaskRow> findByIdempotencyKey(String key) {
        return Optional.empty();
    }

    @Override
    public List<TaskRow> list(TaskQuery query) {
        return List.of();
    }

    @Override
    public List<TaskRow> unfinished() {
        return List.of();
    }

    /** Nothing is shared: this scheduler leads, with the clock as its epoch, so that a later start has a later one. */
    @Override
    public OptionalLong acquireLead(String holder, String address, Duration lease) {
        return OptionalLong.of(clock.millis());
    }

    @Override
    public boolean renewLead(String holder, long epoch, Duration lease) {
        return true;
    }

    @Override
    public void releaseLead(String holder, long epoch) {
        // nobody else could take it
    }

    /** Nothing is shared: no other scheduler leads. */
    @Override
    public Optional<Lead> currentLead() {
        return Optional.empty();
    }

    /** Nothing is shared: the lead is always free. */
    @Override
    public Optional<Duration> leaseLapsedFor() {
        return Optional.of(Duration.ZERO);
    }

    /** Nothing is shared: no other scheduler to show. */
    @Override
    public void seen(String holder, String address, String role) {
        // alone
    }

    @Override
    public List<SchedulerSeen> schedulers() {
        return List.of();
    }

    @Override
    public void forgetSchedulers(String holder, Duration unseenFor) {
        // alone
    }
}
