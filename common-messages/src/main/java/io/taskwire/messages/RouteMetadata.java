package io.taskwire.messages;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.rsocket.metadata.AuthMetadataCodec;
import io.rsocket.metadata.CompositeMetadata;
import io.rsocket.metadata.CompositeMetadataCodec;
import io.rsocket.metadata.RoutingMetadata;
import io.rsocket.metadata.TaggingMetadataCodec;
import io.rsocket.metadata.WellKnownAuthType;
import io.rsocket.metadata.WellKnownMimeType;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a route (and, in SETUP, a bearer token) into composite metadata, and reads them out of a
 * frame without copying the payload.
 */
public final class RouteMetadata {

    private static final String ROUTING = WellKnownMimeType.MESSAGE_RSOCKET_ROUTING.getString();
    private static final String AUTHENTICATION = WellKnownMimeType.MESSAGE_RSOCKET_AUTHENTICATION.getString();

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
     * @param route the SETUP route
     * @param bearerToken the token to present, or null for none
     * @return composite metadata holding the route and, when given, the token as well-known
     *         {@code message/x.rsocket.authentication.v0} bearer authentication
     */
    public static ByteBuf encodeSetup(String route, String bearerToken) {
        CompositeByteBuf metadata = (CompositeByteBuf) encode(route);
        if (bearerToken != null && !bearerToken.isEmpty()) {
            ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
            ByteBuf token = AuthMetadataCodec.encodeBearerMetadata(allocator, bearerToken.toCharArray());
            CompositeMetadataCodec.encodeAndAddMetadata(metadata, allocator,
                    WellKnownMimeType.MESSAGE_RSOCKET_AUTHENTICATION, token);
        }
        return metadata;
    }

    /**
     * @param metadata composite metadata, or an empty buffer
     * @return whether it holds a bearer token in a {@code message/x.rsocket.authentication.v0} entry
     */
    public static boolean hasBearerToken(ByteBuf metadata) {
        return bearerToken(metadata) != null;
    }

    /**
     * @param metadata composite metadata, or an empty buffer
     * @return the bearer token of its {@code message/x.rsocket.authentication.v0} entry, or null when
     *         there is none, it is another kind of authentication, or the metadata is malformed
     */
    public static String bearerToken(ByteBuf metadata) {
        return read(metadata, AUTHENTICATION, content -> {
            ByteBuf auth = content.slice();
            if (!AuthMetadataCodec.isWellKnownAuthType(auth)
                    || AuthMetadataCodec.readWellKnownAuthType(auth) != WellKnownAuthType.BEARER) {
                return null;
            }
            return new String(AuthMetadataCodec.readBearerTokenAsCharArray(auth));
        });
    }

    /**
     * @param metadata composite metadata, or an empty buffer
     * @return the first routing tag, or null when there is none or the metadata is malformed
     */
    public static String route(ByteBuf metadata) {
        return read(metadata, ROUTING, content -> {
            Iterator<String> tags = new RoutingMetadata(content).iterator();
            return tags.hasNext() ? tags.next() : null;
        });
    }

    /**
     * Reads the first entry of a MIME type out of composite metadata, without copying.
     *
     * @param metadata composite metadata, or an empty buffer
     * @param mimeType the entry's MIME type
     * @param reader reads the entry's content
     * @return what the reader returned, or null when there is no such entry or the metadata is malformed
     */
    public static <T> T read(ByteBuf metadata, String mimeType, Function<ByteBuf, T> reader) {
        if (metadata == null || !metadata.isReadable()) {
            return null;
        }
        try {
            for (CompositeMetadata.Entry entry : new CompositeMetadata(metadata.slice(), false)) {
                if (mimeType.equals(entry.getMimeType())) {
                    return reader.apply(entry.getContent());
                }
            }
        } catch (RuntimeException malformed) {
            return null;
        }
        return null;
    }
}
