package io.taskwire.scheduler.store;

import java.time.Duration;

/**
 * A scheduler sharing the store, as it last said it was up.
 *
 * @param holder its id in the lead ({@code taskwire_leader.holder}), new at each start
 * @param address where workers and clients reach it
 * @param role its place in the lead then ({@code LEADER}, {@code STANDBY}, ...)
 * @param age how long ago, on the database's clock
 */
public record SchedulerSeen(String holder, String address, String role, Duration age) {
}
