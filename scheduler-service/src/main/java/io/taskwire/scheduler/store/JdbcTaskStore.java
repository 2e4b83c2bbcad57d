package io.taskwire.scheduler.store;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Tasks in a database (PostgreSQL, or the embedded H2): writes go through one {@link GroupCommit},
 * reads straight to {@link TaskRows}.
 */
public final class JdbcTaskStore implements TaskStore, AutoCloseable {

    private final TaskRows rows;
    private final GroupCommit commits;

    /**
     * @param maxCommitWrites most writes that share one commit
     */
    public JdbcTaskStore(TaskRows rows, int maxCommitWrites, MeterRegistry meters) {
        this.rows = rows;
        this.commits = new GroupCommit(rows, maxCommitWrites, meters);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public boolean shared() {
        return rows.shared();
    }

    @Override
    public CompletableFuture<Void> insert(TaskRow row) {
        return commits.insert(row);
    }

    @Override
    public CompletableFuture<Void> insert(TaskRow row, ScheduleRow schedule) {
        return commits.insert(row, schedule);
    }

    @Override
    public CompletableFuture<Void> put(ScheduleRow schedule) {
        return commits.put(schedule);
    }

    @Override
    public CompletableFuture<Void> deleteSchedule(String scheduleId) {
        return commits.delete(scheduleId);
    }

    @Override
    public List<ScheduleRow> schedules() {
        return rows.schedules();
    }

    @Override
    public List<TaskRow> firedBy(String scheduleId, int limit) {
        return rows.firedBy(scheduleId, limit);
    }

    @Override
    public CompletableFuture<Void> update(TaskRow row) {
        return commits.update(row);
    }

    @Override
    public Optional<TaskRow> find(String taskId) {
        return rows.find(taskId);
    }

    @Override
    public Optional<TaskRow> findByIdempotencyKey(String key) {
        return rows.findByIdempotencyKey(key);
    }

    @Override
    public List<TaskRow> list(TaskQuery query) {
        return rows.list(query);
    }

    @Override
    public List<TaskRow> unfinished() {
        return rows.unfinished();
    }

    @Override
    public OptionalLong acquireLead(String holder, String address, Duration lease) {
        OptionalLong epoch = rows.acquireLead(holder, address, lease.toMillis());
        epoch.ifPresent(commits::lead);
        return epoch;
    }

    @Override
    public boolean renewLead(String holder, long epoch, Duration lease) {
        return rows.renewLead(holder, epoch, lease.toMillis());
    }

    @Override
    public void releaseLead(String holder, long epoch) {
        rows.releaseLead(holder, epoch);
    }

    @Override
    public Optional<Lead> currentLead() {
        return rows.currentLead();
    }

    @Override
    public Optional<Duration> leaseLapsedFor() {
        return rows.leaseLapsedFor();
    }

    @Override
    public void seen(String holder, String address, String role) {
        rows.seen(holder, address, role);
    }

    @Override
    public List<SchedulerSeen> schedulers() {
        return rows.schedulers();
    }

    @Override
    public void forgetSchedulers(String holder, Duration unseenFor) {
        rows.forgetSchedulers(holder, unseenFor);
    }

    @Override
    public Throwable unwritable() {
        return commits.unwritable();
    }

    @Override
    public int queuedWrites() {
        return commits.queued();
    }

    /** Commits what is queued, then refuses further writes. */
    @Override
    public void close() {
        commits.close();
    }
}
