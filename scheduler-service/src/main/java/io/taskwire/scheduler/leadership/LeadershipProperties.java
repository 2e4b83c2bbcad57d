package io.taskwire.scheduler.leadership;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Leadership among the schedulers that share one store (PROTOCOL.md section 7).
 *
 * @param advertisedAddress the {@code host:port} of this scheduler's RSocket server as workers and
 *        clients reach it; a standby names the leader's in its refusals. This machine's name and
 *        the RSocket port when blank
 * @param leadership the lead's lease
 */
@ConfigurationProperties("taskwire.scheduler")
public record LeadershipProperties(String advertisedAddress, @DefaultValue Lease leadership) {

    /**
     * @param lease how long the lead holds without a renewal, on the database's clock: a standby
     *        takes it this long after the leader's last renewal, and a leader that could not renew
     *        it for this long, on its own clock, steps down
     * @param renewInterval how often the leader renews its lease, and a standby looks whether the
     *        lease has expired
     */
    public record Lease(@DefaultValue("2s") Duration lease, @DefaultValue("500ms") Duration renewInterval) {
        public Lease {
            if (renewInterval.compareTo(lease) >= 0) {
                throw new IllegalArgumentException("taskwire.scheduler.leadership.renew-interval (" + renewInterval
                        + ") must be shorter than taskwire.scheduler.leadership.lease (" + lease + ")");
            }
        }
    }
}
