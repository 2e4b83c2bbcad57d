package io.taskwire.scheduler.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.Json;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.TaskError;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The task table, the schedule table and the lead: every read and write of the store, in SQL that PostgreSQL and H2
 * both run but for the database's clock, which each names its own way. The schema comes from the
 * Flyway migrations in {@value #MIGRATIONS}. List filters are bound as parameters, never put into
 * the SQL.
 */
public class TaskRows {

    /** Where the migrations are. */
    public static final String MIGRATIONS = "classpath:db/taskwire";

    private static final Logger log = LoggerFactory.getLogger(TaskRows.class);
    /** How long a write transaction may stay idle before PostgreSQL ends it. */
    private static final String IDLE_IN_WRITE = "1s";
    /** What changes with the task's state, then what is set once: an update sets the first, by id. */
    private static final String COLUMNS = "status, attempt, attempts_spent, recorded_attempt, worker_id, fence,"
            + " avoided_worker, started_at, finished_at, output, error,"
            + " id, idempotency_key, type, spec, timeout_ms, max_attempts, created_at, schedule_id";
    private static final String INSERT = "INSERT INTO taskwire_task (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE taskwire_task SET status = ?, attempt = ?, attempts_spent = ?,"
            + " recorded_attempt = ?, worker_id = ?, fence = ?, avoided_worker = ?, started_at = ?, finished_at = ?,"
            + " output = ?, error = ? WHERE id = ?";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM taskwire_task";
    /** What changes with a schedule's state, then what is set once: an update sets the first, by id. */
    private static final String SCHEDULE_COLUMNS = "spec, paused, next_fire_at, last_fire_at, last_task_id, fired,"
            + " buffered_fire_at, updated_at, id, created_at";
    private static final String INSERT_SCHEDULE = "INSERT INTO taskwire_schedule (" + SCHEDULE_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_SCHEDULE = "UPDATE taskwire_schedule SET spec = ?, paused = ?, next_fire_at = ?,"
            + " last_fire_at = ?, last_task_id = ?, fired = ?, buffered_fire_at = ?, updated_at = ? WHERE id = ?";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RowMapper<TaskRow> mapper = (rs, n) -> row(rs);
    /** The database's clock, and that clock plus a bound number of milliseconds, in its own SQL. */
    private final String now;
    private final String nowPlus;
    /** Whether other processes can open the database: PostgreSQL, or H2 through its server. */
    private final boolean shared;
    private final boolean postgres;

    public TaskRows(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        String[] database = jdbc.execute((ConnectionCallback<String[]>) connection -> new String[] {
                connection.getMetaData().getDatabaseProductName(), connection.getMetaData().getURL()});
        this.postgres = "PostgreSQL".equals(database[0]);
        String url = database[1];
        this.shared = postgres || url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:ssl:");
        this.now = postgres ? "clock_timestamp()" : "CURRENT_TIMESTAMP";
        this.nowPlus = postgres ? "clock_timestamp() + CAST(? AS INTEGER) * INTERVAL '1 millisecond'"
                : "DATEADD(MILLISECOND, CAST(? AS INTEGER), CURRENT_TIMESTAMP)";
    }

    /** @return whether other processes, other schedulers among them, can open this database */
    public boolean shared() {
        return shared;
    }

    /** Brings the schema up to date; a schema already current is left as it is. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load().migrate();
    }

    /**
     * Writes new tasks, then new states of stored ones, then schedules (new, changed or deleted), in
     * one transaction: all of them or none, and
     * none once a newer epoch leads. The lead's row stays locked from the check to the commit, so
     * that no takeover commits in between. On PostgreSQL the transaction ends by itself once left
     * idle for {@value #IDLE_IN_WRITE}: its statements go back to back, so only a scheduler paused or
     * cut off in the middle of it leaves it idle, and the lock must not keep a standby from the lead.
     *
     * @param epoch the epoch the writer leads with
     * @throws LeadLostException when another scheduler took the lead since
     */
    void write(List<TaskRow> inserts, List<TaskRow> updates, List<GroupCommit.ScheduleWrite> schedules, long epoch) {
        transactions.executeWithoutResult(status -> {
            if (postgres) {
                jdbc.execute("SET LOCAL idle_in_transaction_session_timeout = '" + IDLE_IN_WRITE + "'");
            }
            if (jdbc.update("UPDATE taskwire_leader SET epoch = epoch WHERE id = 1 AND epoch = ?", epoch) == 0) {
                throw new LeadLostException("another scheduler took the lead from epoch " + epoch
                        + "; this one's writes change nothing");
            }
            if (!inserts.isEmpty()) {
                jdbc.batchUpdate(INSERT, inserts, inserts.size(), this::insert);
            }
            if (!updates.isEmpty()) {
                int[][] counts = jdbc.batchUpdate(UPDATE, updates, updates.size(), this::update);
                warnOfMissing(updates, counts);
            }
            schedules.forEach(this::write);
        });
    }

    /** A schedule's new state, or its deletion; there are few of them, one statement each is enough. */
    private void write(GroupCommit.ScheduleWrite schedule) {
        ScheduleRow row = schedule.row();
        if (row == null) {
            jdbc.update("DELETE FROM taskwire_schedule WHERE id = ?", schedule.id());
            return;
        }
        Object[] state = {Json.write(row.spec()), row.paused(), utc(row.nextFireAt()), utc(row.lastFireAt()),
                row.lastTaskId(), row.fired(), utc(row.bufferedFireAt()), utc(row.updatedAt()), row.id()};
        if (jdbc.update(UPDATE_SCHEDULE, state) == 0) {
            Object[] all = Arrays.copyOf(state, state.length + 1);
            all[state.length] = utc(row.createdAt());
            jdbc.update(INSERT_SCHEDULE, all);
        }
    }

    /** @return every schedule, by id */
    public List<ScheduleRow> schedules() {
        return jdbc.query("SELECT " + SCHEDULE_COLUMNS + " FROM taskwire_schedule ORDER BY id", (rs, n) -> schedule(rs));
    }

    /** @return the newest tasks the schedule fired, newest first, at most {@code limit} */
    public List<TaskRow> firedBy(String scheduleId, int limit) {
        return jdbc.query(SELECT + " WHERE schedule_id = ? ORDER BY created_at DESC LIMIT ?", mapper, scheduleId, limit);
    }

    /**
     * Takes the lead if nobody holds it or its holder's lease has expired, on the database's clock,
     * and with it the next epoch, in one statement.
     *
     * @return the epoch taken; empty while another holder's lease runs
     */
    public OptionalLong acquireLead(String holder, String address, long leaseMillis) {
        return transactions.execute(status -> {
            if (postgres) {
                // a deposed leader's transaction may still hold the row: ask again at the next look rather than wait
                jdbc.execute("SET LOCAL lock_timeout = '500ms'");
            }
            int taken = jdbc.update("UPDATE taskwire_leader SET holder = ?, address = ?, epoch = epoch + 1, expires_at = "
                    + nowPlus + " WHERE id = 1 AND (holder IS NULL OR expires_at IS NULL OR expires_at < " + now + ")",
                    holder, address, leaseMillis);
            return taken == 0 ? OptionalLong.empty()
                    : OptionalLong.of(jdbc.queryForObject("SELECT epoch FROM taskwire_leader WHERE id = 1", Long.class));
        });
    }

    /** @return whether the holder still leads with that epoch; its lease then runs again from now */
    public boolean renewLead(String holder, long epoch, long leaseMillis) {
        return jdbc.update("UPDATE taskwire_leader SET expires_at = " + nowPlus + " WHERE id = 1 AND holder = ? AND epoch = ?",
                leaseMillis, holder, epoch) == 1;
    }

    /** Gives the lead up, if the holder still has it with that epoch, so that a standby takes it at once. */
    public void releaseLead(String holder, long epoch) {
        jdbc.update("UPDATE taskwire_leader SET holder = NULL, address = NULL, expires_at = " + now
                + " WHERE id = 1 AND holder = ? AND epoch = ?", holder, epoch);
    }

    /**
     * @return how long ago the last lease expired or was given up, on the database's clock; empty
     *         while a holder's lease runs
     */
    public Optional<Duration> leaseLapsedFor() {
        return jdbc.query("SELECT holder, expires_at, " + now + " AS db_now FROM taskwire_leader WHERE id = 1",
                (rs, n) -> {
                    OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
                    OffsetDateTime dbNow = rs.getObject("db_now", OffsetDateTime.class);
                    if (rs.getString("holder") != null && expires != null && !expires.isBefore(dbNow)) {
                        return Optional.<Duration>empty();
                    }
                    return Optional.of(expires == null ? Duration.ZERO
                            : Duration.between(expires, dbNow));
                }).stream().findFirst().orElse(Optional.of(Duration.ZERO));
    }

    /** Records that a scheduler is up, in that role, now on the database's clock. */
    public void seen(String holder, String address, String role) {
        if (jdbc.update("UPDATE taskwire_scheduler SET address = ?, role = ?, seen_at = " + now + " WHERE holder = ?",
                address, role, holder) == 0) {
            jdbc.update("INSERT INTO taskwire_scheduler (holder, address, role, seen_at) VALUES (?, ?, ?, " + now + ")",
                    holder, address, role);
        }
    }

    /** @return every scheduler that said it was up, with how long ago, on the database's clock */
    public List<SchedulerSeen> schedulers() {
        return jdbc.query("SELECT holder, address, role, seen_at, " + now + " AS db_now FROM taskwire_scheduler"
                + " ORDER BY address, holder", (rs, n) -> new SchedulerSeen(rs.getString("holder"), rs.getString("address"),
                rs.getString("role"), Duration.between(rs.getObject("seen_at", OffsetDateTime.class),
                rs.getObject("db_now", OffsetDateTime.class))));
    }

    /**
     * Forgets schedulers: the one that stops ({@code holder}), and those unseen for longer than
     * {@code unseenFor} (killed ones).
     */
    public int forgetSchedulers(String holder, Duration unseenFor) {
        return jdbc.update("DELETE FROM taskwire_scheduler WHERE holder = ? OR seen_at < " + nowPlus, holder,
                -Math.toIntExact(unseenFor.toMillis()));
    }

    /** @return who leads, where, and with which epoch; empty when nobody does or the lease has expired */
    public Optional<Lead> currentLead() {
        return jdbc.query("SELECT holder, address, epoch FROM taskwire_leader WHERE id = 1 AND holder IS NOT NULL"
                + " AND expires_at >= " + now, (rs, n) -> new Lead(rs.getString("holder"), rs.getString("address"),
                rs.getLong("epoch"))).stream().findFirst();
    }

    /** @return every task not yet final, oldest first */
    public List<TaskRow> unfinished() {
        return jdbc.query(SELECT + " WHERE finished_at IS NULL ORDER BY created_at", mapper);
    }

    public Optional<TaskRow> find(String id) {
        return jdbc.query(SELECT + " WHERE id = ?", mapper, id).stream().findFirst();
    }

    public Optional<TaskRow> findByIdempotencyKey(String key) {
        return jdbc.query(SELECT + " WHERE idempotency_key = ?", mapper, key).stream().findFirst();
    }

    /** @return the tasks the query selects, in its order, from its cursor on */
    public List<TaskRow> list(TaskQuery query) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.status() != null) {
            sql.append(" AND status = ?");
            args.add(query.status().name());
        }
        if (query.type() != null) {
            sql.append(" AND type = ?");
            args.add(query.type());
        }
        if (query.createdFrom() != null) {
            sql.append(" AND created_at >= ?");
            args.add(utc(query.createdFrom()));
        }
        if (query.createdBefore() != null) {
            sql.append(" AND created_at < ?");
            args.add(utc(query.createdBefore()));
        }
        String direction = query.oldestFirst() ? ">" : "<";
        if (query.after() != null) {
            sql.append(" AND (created_at ").append(direction).append(" ? OR (created_at = ? AND id ").append(direction)
                    .append(" ?))");
            OffsetDateTime at = utc(query.after().createdAt());
            args.add(at);
            args.add(at);
            args.add(query.after().id());
        }
        String order = query.oldestFirst() ? "ASC" : "DESC";
        // with one status, ordering by it too changes nothing but lets H2 read the page in the order of
        // the (status, created_at, id) index rather than sort every task in that status
        sql.append(" ORDER BY ").append(query.status() == null ? "" : "status " + order + ", ")
                .append("created_at ").append(order).append(", id ").append(order).append(" LIMIT ?");
        args.add(query.limit());
        return jdbc.query(sql.toString(), mapper, args.toArray());
    }

    /** Deletes up to {@code batch} finished tasks that finished before {@code cutoff}, oldest first. */
    public int deleteFinishedBefore(Instant cutoff, int batch) {
        return jdbc.update("DELETE FROM taskwire_task WHERE id IN (SELECT id FROM taskwire_task"
                + " WHERE finished_at < ? ORDER BY finished_at LIMIT ?)", utc(cutoff), batch);
    }

    /** Deletes up to {@code batch} of the finished tasks beyond the newest {@code keep}, oldest first. */
    public int deleteFinishedBeyond(int keep, int batch) {
        List<OffsetDateTime> newestDropped = jdbc.queryForList("SELECT finished_at FROM taskwire_task"
                + " WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1 OFFSET ?", OffsetDateTime.class, keep);
        if (newestDropped.isEmpty()) {
            return 0;
        }
        return jdbc.update("DELETE FROM taskwire_task WHERE id IN (SELECT id FROM taskwire_task"
                + " WHERE finished_at <= ? ORDER BY finished_at LIMIT ?)", newestDropped.get(0), batch);
    }

    /** Writes nothing new, to see that the database answers and takes writes (it may have turned read-only). */
    public void ping() {
        jdbc.update("UPDATE taskwire_leader SET epoch = epoch WHERE id = 1");
    }

    /** @return how many tasks are stored */
    public int count() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM taskwire_task", Integer.class);
        return count == null ? 0 : count;
    }

    private void insert(PreparedStatement statement, TaskRow row) throws SQLException {
        state(statement, row);
        statement.setString(12, row.id());
        statement.setString(13, row.spec().idempotencyKey());
        statement.setString(14, row.spec().type());
        statement.setString(15, Json.write(row.spec()));
        statement.setLong(16, row.timeoutMs());
        statement.setInt(17, row.maxAttempts());
        statement.setObject(18, utc(row.createdAt()));
        statement.setString(19, row.scheduleId());
    }

    private void update(PreparedStatement statement, TaskRow row) throws SQLException {
        state(statement, row);
        statement.setString(12, row.id());
    }

    /** The first 11 parameters of both statements: the columns that change with the task's state. */
    private static void state(PreparedStatement statement, TaskRow row) throws SQLException {
        statement.setString(1, row.status().name());
        statement.setInt(2, row.attempt());
        statement.setInt(3, row.attemptsSpent());
        statement.setInt(4, row.recordedAttempt());
        statement.setString(5, row.workerId());
        statement.setString(6, row.fence());
        statement.setString(7, row.avoidedWorker());
        statement.setObject(8, utc(row.startedAt()));
        statement.setObject(9, utc(row.finishedAt()));
        statement.setString(10, row.output() == null ? null : Json.write(row.output()));
        statement.setString(11, row.error() == null ? null : Json.write(row.error()));
    }

    private static TaskRow row(ResultSet rs) throws SQLException {
        return new TaskRow(rs.getString("id"), read(rs.getString("spec"), TaskSpec.class),
                TaskStatus.valueOf(rs.getString("status")), rs.getInt("attempt"), rs.getInt("attempts_spent"),
                rs.getInt("recorded_attempt"), rs.getLong("timeout_ms"), rs.getInt("max_attempts"),
                rs.getString("worker_id"), rs.getString("fence"), rs.getString("avoided_worker"),
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                read(rs.getString("output"), JsonNode.class), read(rs.getString("error"), TaskError.class),
                rs.getString("schedule_id"));
    }

    private static ScheduleRow schedule(ResultSet rs) throws SQLException {
        return new ScheduleRow(rs.getString("id"), read(rs.getString("spec"), ScheduleSpec.class),
                rs.getBoolean("paused"), instant(rs, "next_fire_at"), instant(rs, "last_fire_at"),
                rs.getString("last_task_id"), rs.getLong("fired"), instant(rs, "buffered_fire_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    /** An update that found no row means a write for a task the store does not hold: a bug, but not the caller's. */
    private static void warnOfMissing(List<TaskRow> updates, int[][] counts) {
        int i = 0;
        for (int[] chunk : counts) {
            for (int count : chunk) {
                if (count == 0) {
                    log.warn("Task {} was not in the store when its new state ({}) was written", updates.get(i).id(),
                            updates.get(i).status());
                }
                i++;
            }
        }
    }

    private static <T> T read(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the store holds " + type.getSimpleName() + " JSON it cannot read: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
