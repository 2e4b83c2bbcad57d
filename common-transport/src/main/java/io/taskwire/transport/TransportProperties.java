package io.taskwire.transport;

import io.taskwire.messages.Protocol;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * RSocket settings both services share.
 *
 * @param maxPayloadSize the largest data of one request (after reassembly, without metadata); a
 *        larger one gets {@code PAYLOAD_TOO_LARGE} and the connection stays usable
 */
@ConfigurationProperties("taskwire.transport")
public record TransportProperties(@DefaultValue("1MB") DataSize maxPayloadSize) {

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
