package io.taskwire.scheduler.console.overview;

import java.util.List;

/**
 * What the overview shows at one moment, as its stream sends it.
 *
 * @param at when the sample was taken, in milliseconds since the epoch
 * @param rates tasks per second since the sample before
 * @param queued tasks waiting for a worker
 * @param inFlight attempts running on workers
 * @param p50Ms the median time from submission to a final state of the tasks that finished within
 *        about the last minute; null when none did
 * @param p99Ms the 99th percentile of the same
 * @param workersOnline connected workers (online, busy or draining)
 * @param workersBusy connected workers with at least one slot in use
 * @param role this scheduler's place in the lead ({@code LEADER}, {@code STANDBY}, ...)
 * @param leader the scheduler that leads, when one is known
 * @param schedulers the other schedulers sharing the store, seen up lately: the leader's standbys, or
 *        a standby's leader and peers
 */
record OverviewSample(long at, Rates rates, long queued, long inFlight, Double p50Ms, Double p99Ms,
                      long workersOnline, long workersBusy, String role, Leader leader, List<Other> schedulers) {

    /** Tasks per second over one sample period: submitted, completed (succeeded), failed (or timed out). */
    record Rates(double submitted, double completed, double failed) {
    }

    /** @param address where workers and clients reach the leader; @param epoch the epoch of its lead */
    record Leader(String address, Long epoch) {
    }

    /** @param address where another scheduler is reached; @param role its place in the lead */
    record Other(String address, String role) {
    }

    /** The task counters' sums since the start, from which the rates are taken. */
    record Totals(double submitted, double completed, double failed) {

        Rates since(Totals earlier, double seconds) {
            return new Rates(perSecond(submitted - earlier.submitted, seconds),
                    perSecond(completed - earlier.completed, seconds), perSecond(failed - earlier.failed, seconds));
        }

        private static double perSecond(double count, double seconds) {
            return Math.max(0, count) / seconds;
        }
    }
}
