package io.taskwire.transport.signing;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nonces seen within the accepted clock skew, so that a signed message is accepted once. Bounded:
 * when full, the oldest nonce is dropped and the floor rises to its timestamp; from then on a
 * message stamped at or before the floor is refused as possibly replayed, since its nonce may be
 * one that was dropped. So a flood makes the window shorter (refusing late senders), never lets a
 * replay through.
 */
final class NonceWindow {

    private final int capacity;
    private final long maxSkewMillis;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
    private long floor = Long.MIN_VALUE;

    NonceWindow(int capacity, long maxSkewMillis) {
        this.capacity = capacity;
        this.maxSkewMillis = maxSkewMillis;
    }

    /** Why a message was refused, or {@code null} when it was accepted. */
    enum Verdict {
        FRESH, REPLAYED, TOO_OLD_FOR_WINDOW
    }

    /**
     * Records a nonce if it is new.
     *
     * @param nonce the message's nonce
     * @param timestamp its timestamp (already checked against the skew)
     * @param now the current time
     * @return whether the message is fresh, or why not
     */
    synchronized Verdict admit(String nonce, long timestamp, long now) {
        expire(now);
        if (seen.containsKey(nonce)) {
            return Verdict.REPLAYED;
        }
        if (timestamp <= floor) {
            return Verdict.TOO_OLD_FOR_WINDOW;
        }
        seen.put(nonce, timestamp);
        if (seen.size() > capacity) {
            Iterator<Map.Entry<String, Long>> eldest = seen.entrySet().iterator();
            floor = Math.max(floor, eldest.next().getValue());
            eldest.remove();
        }
        return Verdict.FRESH;
    }

    /** @return nonces held now */
    synchronized int size() {
        return seen.size();
    }

    /** Drops nonces whose messages are past the skew anyway, oldest first. */
    private void expire(long now) {
        long horizon = now - maxSkewMillis;
        Iterator<Map.Entry<String, Long>> oldest = seen.entrySet().iterator();
        while (oldest.hasNext()) {
            if (oldest.next().getValue() >= horizon) {
                return;
            }
            oldest.remove();
        }
    }
}
