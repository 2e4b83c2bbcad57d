package io.taskwire.scheduler.connection;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one peer may make the scheduler hold on its RSocket port (SECURITY.md, "Budgets").
 *
 * @param setupFrameSize the largest frame before a connection's first frame (its SETUP) is complete
 * @param pendingSetups most connections at once that have not sent their first frame; more are refused at once
 * @param frameMargin room above {@code taskwire.transport.max-payload-size} for metadata and frame
 *        headers: a frame, and a fragmented request's frames together, may be the payload limit plus this
 * @param fragmentedRequests most unfinished fragmented requests one connection may have open
 * @param fragmentedSize most bytes those unfinished requests may hold together, per connection
 * @param readPauseSize bytes of replies and events a connection may hold that its peer has not read
 *        before the scheduler stops reading its requests; it reads on below half of it ({@link SendBacklog})
 * @param unreadSize most bytes of replies and events a connection may hold that its peer has not read;
 *        the frame that passes it closes the connection
 * @param unreadTimeout how long the scheduler waits, its requests not read, for a peer to read below half
 *        of {@code read-pause-size}; then the connection is closed
 */
@ConfigurationProperties("taskwire.scheduler.inbound")
public record InboundLimits(@DefaultValue("64KB") DataSize setupFrameSize,
                            @DefaultValue("256") int pendingSetups,
                            @DefaultValue("64KB") DataSize frameMargin,
                            @DefaultValue("16") int fragmentedRequests,
                            @DefaultValue("4MB") DataSize fragmentedSize,
                            @DefaultValue("1MB") DataSize readPauseSize,
                            @DefaultValue("16MB") DataSize unreadSize,
                            @DefaultValue("30s") Duration unreadTimeout) {

    /** @return the largest frame, and the largest fragmented request, for the given payload limit */
    int maxRequestBytes(int maxPayloadBytes) {
        return maxPayloadBytes + (int) frameMargin.toBytes();
    }
}
