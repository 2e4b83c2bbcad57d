package io.taskwire.transport;

import io.netty.buffer.ByteBuf;
import io.rsocket.metadata.CompositeMetadata;
import io.rsocket.metadata.RoutingMetadata;
import io.rsocket.metadata.WellKnownMimeType;
import java.util.Iterator;

/** Reads the route out of a frame's composite metadata without copying the payload. */
public final class RouteMetadata {

    private static final String ROUTING = WellKnownMimeType.MESSAGE_RSOCKET_ROUTING.getString();

    private RouteMetadata() {
    }

    /**
     * @param metadata composite metadata, or an empty buffer
     * @return the first routing tag, or null when there is none or the metadata is malformed
     */
    public static String route(ByteBuf metadata) {
        if (metadata == null || !metadata.isReadable()) {
            return null;
        }
        try {
            for (CompositeMetadata.Entry entry : new CompositeMetadata(metadata.slice(), false)) {
                if (ROUTING.equals(entry.getMimeType())) {
                    Iterator<String> tags = new RoutingMetadata(entry.getContent()).iterator();
                    return tags.hasNext() ? tags.next() : null;
                }
            }
        } catch (RuntimeException malformed) {
            return null;
        }
        return null;
    }
}
