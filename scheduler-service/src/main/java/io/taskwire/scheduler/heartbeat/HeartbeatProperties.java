package io.taskwire.scheduler.heartbeat;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Heartbeats and offline detection, all on the scheduler's clock.
 *
 * @param interval how often workers send {@code worker.heartbeat}; pushed to them in {@code worker.config}
 * @param timeout a worker with no heartbeat for this long is declared OFFLINE and its connection closed
 * @param checkInterval how often the scheduler looks for silent workers
 * @param pingInterval how often the scheduler pings each worker to measure the round trip
 * @param pingTimeout a ping not answered within this is counted as lost
 * @param maxPerSecond the most heartbeats a worker may send a second, far above what the interval
 *        asks for; more are dropped (counted in {@code taskwire.heartbeats.dropped})
 * @param floodGrace a worker that keeps sending over {@code maxPerSecond} for this long is disconnected
 */
@ConfigurationProperties("taskwire.scheduler.heartbeat")
public record HeartbeatProperties(
        @DefaultValue("2s") Duration interval,
        @DefaultValue("6s") Duration timeout,
        @DefaultValue("200ms") Duration checkInterval,
        @DefaultValue("5s") Duration pingInterval,
        @DefaultValue("2s") Duration pingTimeout,
        @DefaultValue("10") int maxPerSecond,
        @DefaultValue("5s") Duration floodGrace) {

    public HeartbeatProperties {
        if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("taskwire.scheduler.heartbeat.timeout (" + timeout
                    + ") must be at least twice the interval (" + interval + ")");
        }
    }
}
