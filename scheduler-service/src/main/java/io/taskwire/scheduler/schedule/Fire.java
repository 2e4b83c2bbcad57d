package io.taskwire.scheduler.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One fire of a schedule: the fire time its task is for, and why it fires now.
 *
 * @param at the fire time; it names the task's idempotency key
 * @param reason why it fires
 */
record Fire(Instant at, Reason reason) {

    /** Fire times in keys always carry three fractional digits, so that one instant has one key. */
    private static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Why a schedule fires. */
    enum Reason {
        /** Its fire time came. */
        TIME,
        /** Catching up with fire times missed while no scheduler led or while it was paused. */
        MISFIRE,
        /** A fire time held back by {@code BUFFER_ONE} until the previous task ended. */
        BUFFERED,
        /** A client asked for a fire now ({@code schedule.trigger}). */
        TRIGGER;

        /** @return the value of the metrics' {@code reason} tag */
        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @return the fire's idempotency key: {@code schedule:<scheduleId>:<fire time>} (PROTOCOL.md section 8) */
    String key(String scheduleId) {
        return "schedule:" + scheduleId + ":" + KEY_TIME.format(at);
    }
}
