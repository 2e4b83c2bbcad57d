package io.taskwire.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.rsocket.metadata.CompositeMetadataCodec;
import io.rsocket.metadata.TaggingMetadataCodec;
import io.rsocket.metadata.CompositeMetadata;
import io.rsocket.metadata.RoutingMetadata;
import io.rsocket.metadata.WellKnownMimeType;
import java.util.Iterator;
import java.util.List;

/** Writes a route into composite metadata, and reads it out of a frame without copying the payload. */
public final class RouteMetadata {

    private static final String ROUTING = WellKnownMimeType.MESSAGE_RSOCKET_ROUTING.getString();

    private RouteMetadata() {
    }

    /**
     * @param route a route
     * @return composite metadata holding one routing entry with the route
     */
    public static ByteBuf encode(String route) {
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        CompositeByteBuf metadata = allocator.compositeBuffer();
        ByteBuf routing = TaggingMetadataCodec.createRoutingMetadata(allocator, List.of(route)).getContent();
        CompositeMetadataCodec.encodeAndAddMetadata(metadata, allocator, WellKnownMimeType.MESSAGE_RSOCKET_ROUTING, routing);
        return metadata;
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
