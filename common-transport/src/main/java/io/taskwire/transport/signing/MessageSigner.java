package io.taskwire.transport.signing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.rsocket.metadata.CompositeMetadataCodec;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks requests with HMAC-SHA256 ({@link SigningProperties}). The signature travels as
 * one more composite-metadata entry, {@value #MIME_TYPE}, whose content is the ASCII text
 * {@code <keyId>:<timestampMillis>:<nonce>:<signature>}: the nonce is 16 random bytes and the
 * signature 32, both base64url without padding. It is computed over the UTF-8 bytes of
 * {@code "v0\n" + route + "\n" + timestampMillis + "\n" + nonce + "\n"} followed by the request's
 * data exactly as sent. A receiver refuses, with {@code UNAUTHORIZED}: no or a malformed signature,
 * an unknown key, a timestamp beyond the allowed skew, a signature that does not match (compared in
 * constant time), and a nonce already seen within the window.
 */
public final class MessageSigner {

    /** The composite-metadata entry a signature travels in. */
    public static final String MIME_TYPE = "message/x.taskwire.signature.v0";

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getUrlDecoder();

    private final Map<String, Mac> keys = new LinkedHashMap<>();
    private final String activeKey;
    private final long maxSkewMillis;
    private final NonceWindow nonces;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public MessageSigner(SigningProperties properties, Clock clock) {
        properties.keys().forEach((id, secret) -> keys.put(id, mac(secret)));
        this.activeKey = properties.activeKey();
        this.maxSkewMillis = properties.maxSkew().toMillis();
        this.nonces = new NonceWindow(properties.nonceCacheSize(), maxSkewMillis);
        this.clock = clock;
    }

    /**
     * @param metadata the request's composite metadata (not released; may be empty)
     * @param route its route
     * @param data its data
     * @return new composite metadata: the old entries and the signature
     */
    public ByteBuf withSignature(ByteBuf metadata, String route, ByteBuf data) {
        byte[] nonceBytes = new byte[16];
        random.nextBytes(nonceBytes);
        String nonce = BASE64.encodeToString(nonceBytes);
        long timestamp = clock.millis();
        String signature = BASE64.encodeToString(hmac(activeKey, route, timestamp, nonce, data));
        ByteBuf entry = Unpooled.wrappedBuffer((activeKey + ":" + timestamp + ":" + nonce + ":" + signature)
                .getBytes(StandardCharsets.US_ASCII));
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        CompositeByteBuf signed = allocator.compositeBuffer();
        if (metadata.isReadable()) {
            signed.addComponent(true, metadata.retainedSlice());
        }
        CompositeMetadataCodec.encodeAndAddMetadata(signed, allocator, MIME_TYPE, entry);
        return signed;
    }

    /**
     * @param route the request's route (null when it has none)
     * @param data its data
     * @param metadata its composite metadata
     * @throws ProtocolException {@code UNAUTHORIZED}, saying why, when the request must be refused
     */
    public void verify(String route, ByteBuf data, ByteBuf metadata) {
        String text = signatureEntry(metadata);
        if (text == null) {
            throw refused("the request carries no signature (" + MIME_TYPE + " metadata); signing is on");
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 4) {
            throw refused("the signature metadata is malformed: expected keyId:timestampMillis:nonce:signature");
        }
        if (!keys.containsKey(parts[0])) {
            throw refused("the request is signed with key '" + parts[0] + "', which this side does not hold");
        }
        long timestamp;
        byte[] presented;
        try {
            timestamp = Long.parseLong(parts[1]);
            presented = BASE64_DECODER.decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw refused("the signature metadata is malformed: " + e.getMessage());
        }
        long now = clock.millis();
        if (Math.abs(now - timestamp) > maxSkewMillis) {
            throw refused("the signature's timestamp is " + (now - timestamp) + " ms from this side's clock, beyond the "
                    + maxSkewMillis + " ms allowed");
        }
        if (!MessageDigest.isEqual(presented, hmac(parts[0], route, timestamp, parts[2], data))) {
            throw refused("the signature does not match the route and data: altered, or signed with another secret");
        }
        switch (nonces.admit(parts[2], timestamp, now)) {
            case REPLAYED -> throw refused("the request's nonce was seen before: a replayed message");
            case TOO_OLD_FOR_WINDOW -> throw refused("the request is older than the replay window, which a flood of "
                    + "messages has shortened; send it again");
            case FRESH -> { }
        }
    }

    /** @return nonces held to refuse replays */
    public int noncesHeld() {
        return nonces.size();
    }

    private byte[] hmac(String keyId, String route, long timestamp, String nonce, ByteBuf data) {
        Mac mac;
        try {
            mac = (Mac) keys.get(keyId).clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(ALGORITHM + " cannot be cloned here", e);
        }
        mac.update(("v0\n" + (route == null ? "" : route) + "\n" + timestamp + "\n" + nonce + "\n")
                .getBytes(StandardCharsets.UTF_8));
        for (ByteBuffer part : data.nioBuffers()) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private static String signatureEntry(ByteBuf metadata) {
        return RouteMetadata.read(metadata, MIME_TYPE, content -> content.toString(StandardCharsets.US_ASCII));
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }

    private static ProtocolException refused(String detail) {
        return new ProtocolException(ErrorCode.UNAUTHORIZED, detail);
    }
}
