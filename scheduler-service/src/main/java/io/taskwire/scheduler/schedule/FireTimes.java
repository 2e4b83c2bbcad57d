package io.taskwire.scheduler.schedule;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.ConcurrentLruCache;

/**
 * When a schedule fires (PROTOCOL.md section 8): the fire times of a {@link ScheduleSpec}, either a
 * fixed rate or a cron expression read in the spec's time zone, within its {@code startAt} and
 * {@code endAt}. Pure: it reads no clock, so the caller says from when to look.
 *
 * <p>Cron is evaluated on local date-times and each match is then placed on the time line by
 * Taskwire's daylight-saving rules, not by {@link java.time.ZonedDateTime}'s: a local time in a gap
 * fires at the end of the gap, one in an overlap at its first occurrence, and local times that land
 * on the same instant fire once.
 */
final class FireTimes {

    /** The macros section 8 names, plus the aliases Spring reads the same way. */
    private static final Set<String> MACROS =
            Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

    /**
     * Most cron candidates one search looks at. By the rules below a search needs one or two; the
     * bound is there so that a case nobody foresaw ends the schedule instead of spinning a thread.
     */
    private static final int MAX_CANDIDATES = 1_000;

    /**
     * Parsed expressions by their text, so that schedules with the same expression share one parse
     * (about 250 bytes of heap each); the least recently used of more fall out. Spring's expressions
     * are immutable, so sharing them is safe. A text that does not parse is not kept.
     */
    private static final ConcurrentLruCache<String, List<CronExpression>> PARSED =
            new ConcurrentLruCache<>(1_024, FireTimes::parse);
    /**
     * Zones by their id, shared likewise: {@code ZoneId.of("UTC")} and the other fixed offsets make
     * new rules, with a cache of their own (about 120 bytes), on every call.
     */
    private static final ConcurrentLruCache<String, ZoneId> ZONES = new ConcurrentLruCache<>(1_024, ZoneId::of);

    private final Instant startAt;
    private final Instant endAt;

    // Fixed rate: base + k * everyMs. Unused (null, 0) for cron.
    private final Instant base;
    private final long everyMs;

    // Cron: a time fires when any of these matches it (two for Unix "day-of-month OR day-of-week").
    private final List<CronExpression> crons;
    private final ZoneId zone;

    private FireTimes(ScheduleSpec spec, Instant base, List<CronExpression> crons) {
        this.startAt = spec.startAt();
        this.endAt = spec.endAt();
        this.base = base;
        this.everyMs = spec.everyMs() == null ? 0 : spec.everyMs();
        this.crons = crons;
        this.zone = ZONES.get(spec.timeZone());
    }

    /**
     * The fire times of a schedule.
     *
     * @param spec the schedule, as validated by its record
     * @param anchor the instant a fixed-rate schedule without {@code startAt} counts from (its
     *        creation time); milliseconds are kept, finer digits dropped
     * @return the schedule's fire times
     * @throws ProtocolException {@link ErrorCode#INVALID_REQUEST}, message starting {@code "cron: "},
     *         when the cron expression does not parse
     */
    static FireTimes of(ScheduleSpec spec, Instant anchor) {
        Objects.requireNonNull(spec, "spec");
        if (spec.cron() == null) {
            Instant base = spec.startAt() != null
                    ? spec.startAt()
                    : Objects.requireNonNull(anchor, "anchor").truncatedTo(ChronoUnit.MILLIS);
            return new FireTimes(spec, base, List.of());
        }
        return new FireTimes(spec, null, PARSED.get(spec.cron().trim()));
    }

    /**
     * The next fire time.
     *
     * @param after the instant to look after; itself never returned
     * @return the first fire time strictly after {@code after}, not before {@code startAt} and not
     *         after {@code endAt}; empty when there is none
     */
    Optional<Instant> after(Instant after) {
        Objects.requireNonNull(after, "after");
        // Fire times and startAt sit on whole milliseconds, so a nanosecond before startAt turns
        // "at or after startAt" into the same "strictly after" as `after`.
        Instant from = startAt != null && startAt.isAfter(after) ? startAt.minusNanos(1) : after;
        Optional<Instant> next = base != null ? nextAtFixedRate(from) : nextByCron(from);
        return next.filter(time -> endAt == null || !time.isAfter(endAt));
    }

    /**
     * The next few fire times, for catching up on missed ones.
     *
     * @param after the instant to look after; itself never returned
     * @param count the most to return, at least 0
     * @return up to {@code count} fire times strictly after {@code after}, in increasing order; fewer
     *         when the schedule ends first
     */
    List<Instant> after(Instant after, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be at least 0 (was " + count + ")");
        }
        List<Instant> times = new ArrayList<>(Math.min(count, 64));
        Instant last = after;
        while (times.size() < count) {
            Optional<Instant> next = after(last);
            if (next.isEmpty()) {
                break;
            }
            last = next.get();
            times.add(last);
        }
        return times;
    }

    /**
     * Solves for the period instead of stepping through them, so that a schedule paused for a year
     * at one fire a second costs the same as one paused for a second.
     *
     * @param from the instant to look strictly after
     * @return the first {@code base + k * everyMs} after it
     */
    private Optional<Instant> nextAtFixedRate(Instant from) {
        if (from.isBefore(base)) {
            return Optional.of(base);
        }
        // toMillis drops the sub-millisecond rest; that is safe because every fire time sits on a whole
        // millisecond, so one past the whole milliseconds is also past the rest.
        long periods = Duration.between(base, from).toMillis() / everyMs + 1;
        return Optional.of(base.plusMillis(Math.multiplyExact(periods, everyMs)));
    }

    /**
     * Walks the local calendar from {@code from}'s wall-clock time, placing each match on the time
     * line, until one lands strictly after {@code from}.
     *
     * @param from the instant to look strictly after
     * @return the first fire time after it; empty when the expression matches no later time
     */
    private Optional<Instant> nextByCron(Instant from) {
        LocalDateTime local = LocalDateTime.ofInstant(from, zone);
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isOverlap()
                && zone.getRules().getOffset(from).equals(transition.getOffsetAfter())) {
            // `from` is in the repeat of an overlap, whose local times all fired at their first
            // occurrence; resume just before the first local time after the overlap rather than step
            // through an hour of candidates that would each be skipped.
            local = transition.getDateTimeBefore().minusNanos(1);
        }
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            LocalDateTime candidate = nextLocal(local);
            if (candidate == null) {
                return Optional.empty();
            }
            Instant time = toInstant(candidate);
            // Several local times can land on one instant (all of a gap lands on its end); only the
            // first of them fires.
            if (time.isAfter(from)) {
                return Optional.of(time);
            }
            local = candidate;
        }
        return Optional.empty();
    }

    /** @return the earliest local time after {@code local} that any expression matches; null when none does */
    private LocalDateTime nextLocal(LocalDateTime local) {
        LocalDateTime earliest = null;
        for (CronExpression cron : crons) {
            LocalDateTime next = cron.next(local);
            if (next != null && (earliest == null || next.isBefore(earliest))) {
                earliest = next;
            }
        }
        return earliest;
    }

    /**
     * Places a local time on the time line by section 8's daylight-saving rules.
     *
     * @return for a local time in a gap, the end of the gap (not shifted by the gap's length, as
     *         {@link java.time.ZonedDateTime#of} would); in an overlap, its first occurrence
     */
    private Instant toInstant(LocalDateTime local) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition == null) {
            return local.atZone(zone).toInstant();
        }
        return transition.isGap() ? transition.getInstant() : local.toInstant(transition.getOffsetBefore());
    }

    /**
     * Reads a cron expression of section 8 into Spring expressions that together say when it fires.
     *
     * @param cron 5 fields (Unix, minutes first), 6 (seconds first) or a macro
     * @return one expression, or two of which the earlier next time wins
     */
    private static List<CronExpression> parse(String cron) {
        String trimmed = cron.trim();
        String[] fields = trimmed.split("\\s+");
        if (fields.length == 1 && trimmed.startsWith("@")) {
            // Spring knows the same macros, and reads them regardless of case; check here only so that
            // an unknown one is not reported as "must consist of 6 fields".
            if (!MACROS.contains(trimmed.toLowerCase(Locale.ROOT))) {
                throw invalid("unknown macro '" + trimmed + "'; expected one of @yearly, @annually, @monthly,"
                        + " @weekly, @daily, @midnight, @hourly");
            }
            return List.of(parseSpring(trimmed, cron));
        }
        if (fields.length == 6) {
            return List.of(parseSpring(String.join(" ", fields), cron));
        }
        if (fields.length != 5) {
            throw invalid("found " + fields.length + (fields.length == 1 ? " field" : " fields") + " in '"
                    + trimmed + "'; expected 5 (minute hour day-of-month month day-of-week), 6 (seconds"
                    + " first) or a macro such as @daily");
        }
        String minute = fields[0];
        String hour = fields[1];
        String dayOfMonth = fields[2];
        String month = fields[3];
        String dayOfWeek = fields[4];
        // Parsed whole first, so that a bad field is reported against the expression as given.
        CronExpression whole = parseSpring(String.join(" ", "0", minute, hour, dayOfMonth, month, dayOfWeek), cron);
        if (!restricts(dayOfMonth) || !restricts(dayOfWeek)) {
            return List.of(whole);
        }
        // Unix cron fires when either day field matches, Spring only when both do; so ask Spring
        // each day field alone and let the earlier answer win.
        return List.of(
                parseSpring(String.join(" ", "0", minute, hour, dayOfMonth, month, "*"), cron),
                parseSpring(String.join(" ", "0", minute, hour, "*", month, dayOfWeek), cron));
    }

    /** @return whether a day field narrows the days, which is what turns Unix cron's AND into OR */
    private static boolean restricts(String dayField) {
        return !dayField.equals("*") && !dayField.equals("?");
    }

    /**
     * @param spring the expression in Spring's grammar
     * @param asGiven the expression as the client wrote it, for the error
     */
    private static CronExpression parseSpring(String spring, String asGiven) {
        try {
            return CronExpression.parse(spring);
        } catch (IllegalArgumentException bad) {
            // Spring quotes its own rewrite (with the added seconds field); quote the client's instead.
            String reason = String.valueOf(bad.getMessage());
            int quote = reason.lastIndexOf(" in cron expression \"");
            if (quote >= 0) {
                reason = reason.substring(0, quote);
            }
            throw invalid("'" + asGiven.trim() + "' does not parse: " + reason.replaceAll("\\s*\\R\\s*", " "));
        }
    }

    private static ProtocolException invalid(String reason) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, "cron: " + reason);
    }
}
