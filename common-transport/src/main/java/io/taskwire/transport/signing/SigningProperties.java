package io.taskwire.transport.signing;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Optional HMAC-SHA256 signatures on every request and SETUP, for networks without TLS.
 *
 * @param enabled sign what is sent and refuse what arrives unsigned; on both sides or neither
 * @param keys secrets by key id (env {@code TASKWIRE_TRANSPORT_SIGNING_KEYS_<ID>}), each at least
 *        32 characters; every key listed is accepted, so keys rotate like tokens
 * @param activeKey the id of the key this side signs with
 * @param maxSkew how far a message's timestamp may lie from this side's clock
 * @param nonceCacheSize nonces remembered at most to refuse replays (see {@link NonceWindow})
 */
public record SigningProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue Map<String, String> keys,
        String activeKey,
        @DefaultValue("30s") Duration maxSkew,
        @DefaultValue("100000") int nonceCacheSize) {

    public static final int MIN_KEY_LENGTH = 32;

    public SigningProperties {
        if (enabled) {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("taskwire.transport.signing.enabled needs keys: set "
                        + "taskwire.transport.signing.keys.<id> (env TASKWIRE_TRANSPORT_SIGNING_KEYS_<ID>) and active-key");
            }
            if (activeKey == null || !keys.containsKey(activeKey)) {
                throw new IllegalArgumentException("taskwire.transport.signing.active-key must name one of the keys "
                        + keys.keySet() + ", was " + activeKey);
            }
            keys.forEach((id, secret) -> {
                if (secret == null || secret.length() < MIN_KEY_LENGTH) {
                    throw new IllegalArgumentException("taskwire.transport.signing.keys." + id + " must be at least "
                            + MIN_KEY_LENGTH + " characters (for example: openssl rand -hex 32)");
                }
            });
            if (nonceCacheSize < 1) {
                throw new IllegalArgumentException("taskwire.transport.signing.nonce-cache-size must be positive");
            }
        }
    }
}
