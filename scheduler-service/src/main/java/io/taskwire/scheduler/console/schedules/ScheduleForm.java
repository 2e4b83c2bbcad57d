package io.taskwire.scheduler.console.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.InvalidMessageException;
import io.taskwire.messages.Json;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.TaskSpec;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * The schedule form as typed: every field text, read into a {@link ScheduleSpec} here, so that a
 * mistake is named by the spec's field ({@code everyMs}, {@code startAt}, {@code task.payload}) as
 * the API names it. A rate and a jitter are an amount and a {@link Unit}; start and end are local
 * times in the schedule's zone.
 *
 * @param kind {@code cron} or {@code every}: which of the two the schedule uses
 * @param paused present (any value) when the box is ticked
 */
record ScheduleForm(String scheduleId, String kind, String cron, String every, String everyUnit, String timeZone,
                    String type, String payload, String misfire, String overlap, String startAt, String endAt,
                    String jitter, String jitterUnit, String paused) {

    /** A unit of a duration as the form offers it. */
    enum Unit {
        MS(1, "ms"), S(1_000, "s"), MIN(60_000, "min"), H(3_600_000, "h"), D(86_400_000, "d");

        final long millis;
        final String label;

        Unit(long millis, String label) {
            this.millis = millis;
            this.label = label;
        }

        /** @return how the form names it, as "min" */
        public String label() {
            return label;
        }

        /** @return the largest unit that divides the duration, so that 300,000 ms reads "5 min" */
        static Unit largestFor(long millis) {
            Unit[] units = values();
            for (int i = units.length - 1; i > 0; i--) {
                if (millis % units[i].millis == 0) {
                    return units[i];
                }
            }
            return MS;
        }

        /** @return the duration in this unit and its label, as "5 min" */
        static String format(long millis) {
            Unit unit = largestFor(millis);
            return millis / unit.millis + " " + unit.label;
        }
    }

    /** @return the form for a new schedule: hourly, in UTC, with the defaults of section 8 */
    static ScheduleForm blank() {
        return new ScheduleForm("", "cron", "0 * * * *", "5", "MIN", ScheduleSpec.DEFAULT_TIME_ZONE, "", "{}",
                MisfirePolicy.FIRE_ONCE.name(), OverlapPolicy.SKIP.name(), "", "", "0", "S", null);
    }

    /** @return the form showing a stored spec */
    static ScheduleForm of(ScheduleSpec spec) {
        ZoneId zone = ZoneId.of(spec.timeZone());
        long everyMs = spec.everyMs() == null ? 300_000 : spec.everyMs();
        Unit every = Unit.largestFor(everyMs);
        Unit jitter = Unit.largestFor(spec.jitterMs());
        return new ScheduleForm(spec.scheduleId(), spec.cron() == null ? "every" : "cron", spec.cron(),
                String.valueOf(everyMs / every.millis), every.name(), spec.timeZone(), spec.task().type(),
                pretty(spec.task().payload()), spec.misfire().name(), spec.overlap().name(), local(spec.startAt(), zone),
                local(spec.endAt(), zone), String.valueOf(spec.jitterMs() / jitter.millis), jitter.name(),
                spec.paused() ? "true" : null);
    }

    /**
     * @param kept the task the schedule fires now, whose options beyond type and payload (timeout,
     *        attempts, key, routing) the form does not show and keeps; null for a new schedule
     * @return the spec the form says
     * @throws InvalidMessageException naming the spec's field
     */
    ScheduleSpec toSpec(TaskSpec kept) {
        boolean byCron = !"every".equals(kind);
        String zoneId = blank(timeZone) ? ScheduleSpec.DEFAULT_TIME_ZONE : timeZone.trim();
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneId);
        } catch (DateTimeException unknown) {
            throw new InvalidMessageException("timeZone", "is not an IANA time zone: '" + zoneId + "'");
        }
        return new ScheduleSpec(trimmed(scheduleId), byCron ? cron : null,
                byCron ? null : millis(every, everyUnit, "everyMs"), zoneId, task(kept),
                policy(MisfirePolicy.class, misfire, "misfire"), policy(OverlapPolicy.class, overlap, "overlap"),
                instant(startAt, zone, "startAt"), instant(endAt, zone, "endAt"),
                blank(jitter) ? null : millis(jitter, jitterUnit, "jitterMs"), paused != null);
    }

    private TaskSpec task(TaskSpec kept) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(blank(payload) ? "null" : payload);
        } catch (JsonProcessingException bad) {
            throw new InvalidMessageException("task.payload", "is not JSON: " + bad.getOriginalMessage());
        }
        try {
            return kept == null
                    ? new TaskSpec(trimmed(type), body, null, null, null, null, null, null)
                    : new TaskSpec(trimmed(type), body, null, kept.key(), kept.timeoutMs(), kept.maxAttempts(),
                            kept.awaitMs(), kept.routing());
        } catch (InvalidMessageException bad) {
            throw new InvalidMessageException("task." + bad.field(), bad.getMessage().substring(bad.field().length() + 1));
        }
    }

    private static Long millis(String amount, String unit, String field) {
        Unit in = Arrays.stream(Unit.values()).filter(u -> u.name().equals(unit)).findFirst().orElse(Unit.MS);
        try {
            return Math.multiplyExact(Long.parseLong(amount.trim()), in.millis);
        } catch (NumberFormatException | ArithmeticException | NullPointerException notANumber) {
            throw new InvalidMessageException(field, "must be a whole number of " + in.label + ", was '" + amount + "'");
        }
    }

    private static Instant instant(String local, ZoneId zone, String field) {
        if (blank(local)) {
            return null;
        }
        try {
            return LocalDateTime.parse(local.trim()).atZone(zone).toInstant();
        } catch (DateTimeException bad) {
            throw new InvalidMessageException(field, "must be a local date and time such as 2027-01-31T09:00, was '"
                    + local + "'");
        }
    }

    private static <E extends Enum<E>> E policy(Class<E> type, String name, String field) {
        try {
            return blank(name) ? null : Enum.valueOf(type, name.trim());
        } catch (IllegalArgumentException unknown) {
            throw new InvalidMessageException(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String local(Instant instant, ZoneId zone) {
        return instant == null ? "" : LocalDateTime.ofInstant(instant, zone).toString();
    }

    private static String pretty(JsonNode payload) {
        try {
            // a held payload is raw JSON text, which only a tree prints indented
            JsonNode tree = Json.mapper().readTree(Json.mapper().writeValueAsString(payload));
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException cannot) {
            return String.valueOf(payload);
        }
    }

    private static String trimmed(String text) {
        return text == null ? null : text.trim();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
