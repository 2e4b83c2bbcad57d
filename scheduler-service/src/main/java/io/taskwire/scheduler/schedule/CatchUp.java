package io.taskwire.scheduler.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fire times a schedule missed while no scheduler led or while it was paused, and its first
 * fire time after them. At most {@code cap} are listed, oldest first, so that a schedule of every
 * second paused for a month is not walked through second by second.
 *
 * @param missed the missed fire times, oldest first, at most the cap
 * @param more whether there were more than the cap
 * @param next the first fire time after now; null when the schedule will not fire again
 */
record CatchUp(List<Instant> missed, boolean more, Instant next) {

    /**
     * @param first the schedule's first fire time not handled yet
     * @param now fire times up to now are missed
     */
    static CatchUp of(FireTimes times, Instant first, Instant now, int cap) {
        List<Instant> missed = new ArrayList<>();
        Instant at = first;
        while (at != null && !at.isAfter(now) && missed.size() < cap) {
            missed.add(at);
            at = times.after(at).orElse(null);
        }
        boolean more = at != null && !at.isAfter(now);
        return new CatchUp(List.copyOf(missed), more, more ? times.after(now).orElse(null) : at);
    }
}
