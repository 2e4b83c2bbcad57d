package io.taskwire.bench.console;

import java.time.Duration;

/**
 * Every page held open at idle.
 *
 * @param duration how long
 * @param heapStart live heap once the pages had their snapshots, in bytes
 * @param heapEnd live heap at the end
 * @param cores the scheduler's CPU over the whole hold
 * @param traffic what the consoles got meanwhile
 */
record Held(Duration duration, long heapStart, long heapEnd, double cores, Traffic.Snapshot traffic) {
}
