package io.taskwire.transport;

import io.taskwire.messages.Protocol;
import io.taskwire.transport.signing.SigningProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * RSocket settings both services share.
 *
 * @param maxPayloadSize the largest data of one request (after reassembly, without metadata); a
 *        larger one gets {@code PAYLOAD_TOO_LARGE} and the connection stays usable
 * @param resume RSocket session resumption, off by default
 * @param signing HMAC signatures on requests, off by default (for networks without TLS)
 */
@ConfigurationProperties("taskwire.transport")
public record TransportProperties(@DefaultValue("1MB") DataSize maxPayloadSize, @DefaultValue Resume resume,
                                  @DefaultValue SigningProperties signing) {

    /**
     * RSocket session resumption: a connection that breaks for less than the session duration is
     * resumed where it was, frames included, so a short network blip causes no failover. Offline
     * detection still comes from heartbeats. Turn it on only on both sides, and behind TLS (see
     * the README).
     *
     * @param enabled whether the scheduler offers and the worker asks for resumption
     * @param sessionDuration how long a broken session is kept for resuming
     */
    public record Resume(@DefaultValue("false") boolean enabled, @DefaultValue("15s") java.time.Duration sessionDuration) {
    }

    public TransportProperties {
        if (maxPayloadSize.toBytes() < 8 * 1024 || maxPayloadSize.toBytes() > 16L * 1024 * 1024) {
            throw new IllegalArgumentException("taskwire.transport.max-payload-size must lie between 8KB and 16MB, was "
                    + maxPayloadSize);
        }
    }

    /** @return the limit in bytes */
    public int maxPayloadBytes() {
        return (int) maxPayloadSize.toBytes();
    }

    /** @return the limit on a single {@code payload} or {@code output} value, leaving room for its message */
    public int maxValueBytes() {
        return maxPayloadBytes() - Protocol.ENVELOPE_RESERVE_BYTES;
    }
}
