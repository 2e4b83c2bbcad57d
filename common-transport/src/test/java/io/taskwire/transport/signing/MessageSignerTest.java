package io.taskwire.transport.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signatures as a receiver sees them: what passes, and every way to be refused. */
class MessageSignerTest {

    static final String KEY_A = "key-a-0123456789abcdef0123456789abcdef";
    static final String KEY_B = "key-b-fedcba9876543210fedcba9876543210";

    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    MessageSigner sender = signer("a", Map.of("a", KEY_A), 1000);
    MessageSigner receiver = signer("a", Map.of("a", KEY_A), 1000);
    private final List<ByteBuf> buffers = new ArrayList<>();

    @Test
    void aSignedRequestPassesOnce() {
        ByteBuf data = data("{\"taskId\":\"t-1\"}");
        ByteBuf metadata = signed(sender, "task.get", data);

        assertThatCode(() -> receiver.verify("task.get", data, metadata)).doesNotThrowAnyException();
        assertRefused(() -> receiver.verify("task.get", data, metadata), "seen before");
    }

    @Test
    void alteredDataOrRouteIsRefused() {
        ByteBuf data = data("{\"taskId\":\"t-1\"}");
        ByteBuf metadata = signed(sender, "task.get", data);

        assertRefused(() -> receiver.verify("task.get", data("{\"taskId\":\"t-2\"}"), metadata), "does not match");
        assertRefused(() -> receiver.verify("task.abort", data, metadata), "does not match");
    }

    @Test
    void aTimestampBeyondTheSkewIsRefusedEitherWay() {
        ByteBuf data = data("{}");
        ByteBuf stale = signed(sender, "task.get", data);
        clock.advance(Duration.ofSeconds(31));
        assertRefused(() -> receiver.verify("task.get", data, stale), "beyond the 30000 ms allowed");

        clock.advance(Duration.ofSeconds(-62));
        assertRefused(() -> receiver.verify("task.get", data, stale), "beyond the 30000 ms allowed");
    }

    @Test
    void anUnsignedOrMalformedRequestIsRefused() {
        ByteBuf data = data("{}");
        assertRefused(() -> receiver.verify("task.get", data, held(RouteMetadata.encode("task.get"))), "carries no signature");
        assertRefused(() -> receiver.verify("task.get", data, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})),
                "carries no signature");
    }

    @Test
    void everyListedKeyIsAcceptedSoKeysRotate() {
        MessageSigner rotating = signer("a", Map.of("a", KEY_A, "b", KEY_B), 1000);
        MessageSigner newSender = signer("b", Map.of("b", KEY_B), 1000);
        ByteBuf data = data("{}");

        assertThatCode(() -> rotating.verify("task.get", data,
                signed(sender, "task.get", data))).doesNotThrowAnyException();
        assertThatCode(() -> rotating.verify("task.get", data,
                signed(newSender, "task.get", data))).doesNotThrowAnyException();
        assertRefused(() -> receiver.verify("task.get", data,
                signed(newSender, "task.get", data)), "does not hold");
    }

    @Test
    void theNonceCacheStaysBoundedAndAFullCacheNeverLetsAReplayThrough() {
        MessageSigner small = signer("a", Map.of("a", KEY_A), 1000);
        ByteBuf data = data("{}");
        ByteBuf first = signed(sender, "task.get", data);
        small.verify("task.get", data, first);
        ByteBuf route = held(RouteMetadata.encode("task.get"));

        for (int i = 0; i < 100_000; i++) {
            if (i % 1000 == 0) {
                clock.advance(Duration.ofMillis(1));
            }
            ByteBuf metadata = sender.withSignature(route, "task.get", data);
            try {
                small.verify("task.get", data, metadata);
            } finally {
                metadata.release();
            }
            assertThat(small.noncesHeld()).isLessThanOrEqualTo(1000);
        }

        // the first message's nonce was dropped long ago, yet it is still refused
        assertRefused(() -> small.verify("task.get", data, first), "older than the replay window");
    }

    @Test
    void noncesPastTheSkewAreForgotten() {
        ByteBuf data = data("{}");
        for (int i = 0; i < 500; i++) {
            receiver.verify("task.get", data, signed(sender, "task.get", data));
        }
        assertThat(receiver.noncesHeld()).isEqualTo(500);

        clock.advance(Duration.ofSeconds(31));
        receiver.verify("task.get", data, signed(sender, "task.get", data));

        assertThat(receiver.noncesHeld()).isEqualTo(1);
    }

    @Test
    void keysShorterThan32CharactersAreRefusedAtStart() {
        assertThatThrownBy(() -> new SigningProperties(true, Map.of("k", "short"), "k", Duration.ofSeconds(30), 10))
                .hasMessageContaining("taskwire.transport.signing.keys.k").hasMessageContaining("32");
        assertThatThrownBy(() -> new SigningProperties(true, Map.of("k", KEY_A), "other", Duration.ofSeconds(30), 10))
                .hasMessageContaining("active-key");
    }

    /** Signs as a requester would: the unsigned metadata is released, the signed one is held until the test ends. */
    private ByteBuf signed(MessageSigner signer, String route, ByteBuf data) {
        ByteBuf unsigned = RouteMetadata.encode(route);
        try {
            return held(signer.withSignature(unsigned, route, data));
        } finally {
            unsigned.release();
        }
    }

    private ByteBuf held(ByteBuf buffer) {
        buffers.add(buffer);
        return buffer;
    }

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
        assertThat(buffers).allSatisfy(buffer -> assertThat(buffer.refCnt()).as("released").isZero());
    }

    private MessageSigner signer(String active, Map<String, String> keys, int cache) {
        return new MessageSigner(new SigningProperties(true, keys, active, Duration.ofSeconds(30), cache), clock);
    }

    private static ByteBuf data(String json) {
        return Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Runnable call, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProtocolException.class, refusal -> {
            assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(refusal.detail()).contains(reason);
        });
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
