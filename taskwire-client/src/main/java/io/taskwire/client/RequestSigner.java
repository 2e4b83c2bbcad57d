package io.taskwire.client;

import io.netty.buffer.ByteBuf;

/**
 * Signs the SETUP and every request (PROTOCOL.md section 1.1), for networks without TLS: given a
 * frame's composite metadata, its route and its data exactly as sent, returns the metadata with
 * the {@code message/x.taskwire.signature.v0} entry added. The Spring Boot starter supplies one from
 * {@code taskwire.transport.signing.*}.
 */
@FunctionalInterface
public interface RequestSigner {

    /**
     * @param metadata the frame's composite metadata (not released by the signer)
     * @param route its route
     * @param data its data
     * @return new composite metadata: the old entries and the signature
     */
    ByteBuf sign(ByteBuf metadata, String route, ByteBuf data);
}
