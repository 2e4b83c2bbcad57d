package io.taskwire.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.NullNode;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected instants are worked out by hand from the zone rules: Europe/Berlin +01/+02 (gap 02:00-03:00
 * on 2026-03-29, overlap 02:00-03:00 on 2026-10-25), America/New_York -05/-04 (gap 02:00-03:00 on
 * 2026-03-08, overlap 01:00-02:00 on 2026-11-01), Australia/Lord_Howe +10:30/+11:00 (gap 02:00-02:30 on
 * 2026-10-04, overlap 01:30-02:00 on 2027-04-04).
 */
class FireTimesTest {

    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    // --- daylight saving: a daily local time inside the gap or the overlap

    @Test
    void aLocalTimeInTheSpringGapFiresAtTheEndOfTheGap() {
        FireTimes times = cron("30 2 * * *", "Europe/Berlin");

        assertThat(times.after(Instant.parse("2026-03-27T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
                Instant.parse("2026-03-29T01:00:00Z"), // 02:30 does not exist: 03:00 CEST, the transition
                Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST
    }

    @Test
    void aLocalTimeInTheAutumnOverlapFiresOnceAtItsFirstOccurrence() {
        FireTimes times = cron("30 2 * * *", "Europe/Berlin");

        assertThat(times.after(Instant.parse("2026-10-23T12:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-10-24T00:30:00Z"), // 02:30 CEST
                Instant.parse("2026-10-25T00:30:00Z"), // 02:30 CEST, the first of two 02:30s
                Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
    }

    @Test
    void aLocalTimeInTheNewYorkSpringGapFiresAtTheEndOfTheGap() {
        FireTimes times = cron("30 2 * * *", "America/New_York");

        assertThat(times.after(Instant.parse("2026-03-07T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-03-07T07:30:00Z"), // 02:30 EST
                Instant.parse("2026-03-08T07:00:00Z"), // 02:30 does not exist: 03:00 EDT
                Instant.parse("2026-03-09T06:30:00Z")); // 02:30 EDT
    }

    @Test
    void aLocalTimeInTheNewYorkAutumnOverlapFiresOnceAtItsFirstOccurrence() {
        FireTimes times = cron("30 1 * * *", "America/New_York");

        assertThat(times.after(Instant.parse("2026-10-31T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-10-31T05:30:00Z"), // 01:30 EDT
                Instant.parse("2026-11-01T05:30:00Z"), // 01:30 EDT, not 01:30 EST an hour later
                Instant.parse("2026-11-02T06:30:00Z")); // 01:30 EST
    }

    @Test
    void aLocalTimeInAHalfHourGapFiresAtTheEndOfTheGap() {
        FireTimes times = cron("15 2 * * *", "Australia/Lord_Howe");

        assertThat(times.after(Instant.parse("2026-10-02T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-10-02T15:45:00Z"), // 02:15 +10:30
                Instant.parse("2026-10-03T15:30:00Z"), // 02:15 does not exist: 02:30 +11:00
                Instant.parse("2026-10-04T15:15:00Z")); // 02:15 +11:00
    }

    @Test
    void aLocalTimeInAHalfHourOverlapFiresOnceAtItsFirstOccurrence() {
        FireTimes times = cron("45 1 * * *", "Australia/Lord_Howe");

        assertThat(times.after(Instant.parse("2027-04-02T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2027-04-02T14:45:00Z"), // 01:45 +11:00
                Instant.parse("2027-04-03T14:45:00Z"), // 01:45 +11:00, the first of two 01:45s
                Instant.parse("2027-04-04T15:15:00Z")); // 01:45 +10:30
    }

    // --- daylight saving: frequent expressions across the transitions

    @Test
    void localTimesThroughoutAHalfHourGapFireOnceAtItsEnd() {
        FireTimes times = cron("*/15 * * * *", "Australia/Lord_Howe");

        List<Instant> fires = times.after(Instant.parse("2026-10-03T15:00:00Z"), 4); // 01:30 +10:30
        assertThat(fires).containsExactly(
                Instant.parse("2026-10-03T15:15:00Z"), // 01:45 +10:30
                Instant.parse("2026-10-03T15:30:00Z"), // 02:00 and 02:15 do not exist; 02:30 +11:00 is the same instant
                Instant.parse("2026-10-03T15:45:00Z"), // 02:45 +11:00
                Instant.parse("2026-10-03T16:00:00Z")); // 03:00 +11:00
        assertThat(fires).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theRepeatedHalfHourOfAnOverlapFiresOnce() {
        FireTimes times = cron("*/15 * * * *", "Australia/Lord_Howe");

        List<Instant> fires = times.after(Instant.parse("2027-04-03T14:00:00Z"), 5); // 01:00 +11:00
        assertThat(fires).containsExactly(
                Instant.parse("2027-04-03T14:15:00Z"), // 01:15 +11:00
                Instant.parse("2027-04-03T14:30:00Z"), // 01:30 +11:00
                Instant.parse("2027-04-03T14:45:00Z"), // 01:45 +11:00
                Instant.parse("2027-04-03T15:30:00Z"), // 02:00 +10:30: 01:30 and 01:45 +10:30 do not fire again
                Instant.parse("2027-04-03T15:45:00Z")); // 02:15 +10:30
        assertThat(fires).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anHourlyExpressionFiresTwentyThreeTimesOnTheDayOfTheGap() {
        FireTimes times = cron("0 * * * *", "Europe/Berlin");
        Instant midnight = Instant.parse("2026-03-28T23:00:00Z"); // 00:00 CET
        Instant nextMidnight = Instant.parse("2026-03-29T22:00:00Z"); // 00:00 CEST

        List<Instant> fires = firesOnTheDay(times, midnight, nextMidnight);

        // 02:00 does not exist and fires at 03:00 CEST, the same instant as 03:00 itself: one fire.
        assertThat(fires).hasSize(23).isSorted().doesNotHaveDuplicates();
        assertThat(fires).isEqualTo(Stream.iterate(midnight, time -> time.plus(Duration.ofHours(1)))
                .limit(23)
                .toList());
    }

    @Test
    void anHourlyExpressionFiresTwentyFourTimesOnTheDayOfTheOverlap() {
        FireTimes times = cron("0 * * * *", "Europe/Berlin");
        Instant midnight = Instant.parse("2026-10-24T22:00:00Z"); // 00:00 CEST
        Instant nextMidnight = Instant.parse("2026-10-25T23:00:00Z"); // 00:00 CET

        List<Instant> fires = firesOnTheDay(times, midnight, nextMidnight);

        assertThat(fires).hasSize(24).isSorted().doesNotHaveDuplicates();
        assertThat(fires).startsWith(
                Instant.parse("2026-10-24T22:00:00Z"), // 00:00 CEST
                Instant.parse("2026-10-24T23:00:00Z"), // 01:00 CEST
                Instant.parse("2026-10-25T00:00:00Z"), // 02:00 CEST
                Instant.parse("2026-10-25T02:00:00Z")); // 03:00 CET
        assertThat(fires).doesNotContain(Instant.parse("2026-10-25T01:00:00Z")); // 02:00 CET, the repeat
    }

    @Test
    void anHourlyExpressionInNewYorkFiresOncePerLocalHourAcrossBothTransitions() {
        FireTimes times = cron("0 * * * *", "America/New_York");

        assertThat(firesOnTheDay(times, Instant.parse("2026-03-08T05:00:00Z"), Instant.parse("2026-03-09T04:00:00Z")))
                .hasSize(23)
                .contains(Instant.parse("2026-03-08T07:00:00Z")); // 02:00 and 03:00 EDT
        assertThat(firesOnTheDay(times, Instant.parse("2026-11-01T04:00:00Z"), Instant.parse("2026-11-02T05:00:00Z")))
                .hasSize(24)
                .contains(Instant.parse("2026-11-01T05:00:00Z")) // 01:00 EDT
                .doesNotContain(Instant.parse("2026-11-01T06:00:00Z")); // 01:00 EST, the repeat
    }

    @Test
    void afterTheSecondOccurrenceOfAnOverlapBeganNothingOfTheRepeatedHourFiresAgain() {
        FireTimes quarterly = cron("*/15 * * * *", "Europe/Berlin");
        FireTimes daily = cron("30 2 * * *", "Europe/Berlin");
        Instant inTheRepeat = Instant.parse("2026-10-25T01:10:00Z"); // 02:10 CET, the second 02:10

        assertThat(quarterly.after(inTheRepeat)).contains(Instant.parse("2026-10-25T02:00:00Z")); // 03:00 CET
        assertThat(daily.after(inTheRepeat)).contains(Instant.parse("2026-10-26T01:30:00Z")); // tomorrow
        assertThat(quarterly.after(Instant.parse("2026-10-25T00:10:00Z"))) // 02:10 CEST, the first 02:10
                .contains(Instant.parse("2026-10-25T00:15:00Z"));
    }

    @Test
    void fromTheSecondOccurrenceOfAnOverlapTheSearchSkipsTheRestOfItAtOnce() {
        // Stepping second by second would look at 3,000 repeated local times before 03:00 CET.
        FireTimes everySecond = cron("* * * * * *", "Europe/Berlin");

        assertThat(everySecond.after(Instant.parse("2026-10-25T01:10:00Z"))) // 02:10:00 CET
                .contains(Instant.parse("2026-10-25T02:00:00Z")); // 03:00:00 CET
    }

    @Test
    void afterTheSecondOccurrenceOfAHalfHourOverlapBeganNothingOfItFiresAgain() {
        FireTimes quarterly = cron("*/15 * * * *", "Australia/Lord_Howe");

        assertThat(quarterly.after(Instant.parse("2027-04-03T15:05:00Z"))) // 01:35 +10:30, the second 01:35
                .contains(Instant.parse("2027-04-03T15:30:00Z")); // 02:00 +10:30
    }

    @Test
    void secondsInTheGapFireOnceAtItsEnd() {
        FireTimes times = cron("*/10 * * * * *", "Europe/Berlin");

        assertThat(times.after(Instant.parse("2026-03-29T00:59:40Z"), 3)).containsExactly(
                Instant.parse("2026-03-29T00:59:50Z"), // 01:59:50 CET
                Instant.parse("2026-03-29T01:00:00Z"), // 02:00:00 to 02:59:50 do not exist, nor is 03:00:00 CEST new
                Instant.parse("2026-03-29T01:00:10Z")); // 03:00:10 CEST
    }

    // --- calendar

    @Test
    void aLeapDayFiresOnlyInLeapYears() {
        FireTimes times = cron("0 12 29 2 *", "UTC");

        assertThat(times.after(Instant.parse("2026-01-01T00:00:00Z"), 2)).containsExactly(
                Instant.parse("2028-02-29T12:00:00Z"),
                Instant.parse("2032-02-29T12:00:00Z"));
    }

    @Test
    void anExpressionThatMatchesNoDayNeverFires() {
        assertThat(cron("0 0 30 2 *", "UTC").after(CREATED)).isEmpty();
        assertThat(cron("0 0 30 2 *", "UTC").after(CREATED, 5)).isEmpty();
    }

    // --- grammar

    @Test
    void sixFieldsStartWithSeconds() {
        FireTimes times = cron("*/10 * * * * *", "UTC");

        assertThat(times.after(Instant.parse("2026-05-13T10:20:05Z"), 3)).containsExactly(
                Instant.parse("2026-05-13T10:20:10Z"),
                Instant.parse("2026-05-13T10:20:20Z"),
                Instant.parse("2026-05-13T10:20:30Z"));
    }

    @Test
    void fiveFieldsStartWithMinutesAndFireOnTheMinute() {
        assertThat(cron("15 14 1 * *", "UTC").after(Instant.parse("2026-05-13T00:00:00Z")))
                .contains(Instant.parse("2026-06-01T14:15:00Z"));
        // Friday 2026-05-15 10:00 EDT: the next weekday 09:00 is Monday's, in local time.
        assertThat(cron("0 9 * * 1-5", "America/New_York").after(Instant.parse("2026-05-15T14:00:00Z")))
                .contains(Instant.parse("2026-05-18T13:00:00Z"));
    }

    @Test
    void fieldsMayBeSeparatedByAnyWhitespace() {
        assertThat(cron("  */15\t*  * *\n*  ", "UTC").after(Instant.parse("2026-05-13T10:20:00Z")))
                .contains(Instant.parse("2026-05-13T10:30:00Z"));
        assertThat(cron(" @hourly ", "UTC").after(Instant.parse("2026-05-13T10:20:00Z")))
                .contains(Instant.parse("2026-05-13T11:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "@yearly,   2027-01-01T00:00:00Z",
        "@annually, 2027-01-01T00:00:00Z",
        "@monthly,  2026-06-01T00:00:00Z",
        "@weekly,   2026-05-17T00:00:00Z", // the Sunday after Wednesday 2026-05-13
        "@daily,    2026-05-14T00:00:00Z",
        "@midnight, 2026-05-14T00:00:00Z",
        "@hourly,   2026-05-13T11:00:00Z",
    })
    void eachMacroFiresAtTheStartOfItsPeriod(String macro, String expected) {
        assertThat(cron(macro, "UTC").after(Instant.parse("2026-05-13T10:20:00Z")))
                .contains(Instant.parse(expected));
    }

    @Test
    void aMacroIsReadInTheSchedulesZone() {
        assertThat(cron("@daily", "Europe/Berlin").after(Instant.parse("2026-05-13T10:20:00Z")))
                .contains(Instant.parse("2026-05-13T22:00:00Z")); // 00:00 CEST
    }

    @Test
    void withFiveFieldsEitherDayFieldMatchingFires() {
        FireTimes times = cron("0 0 13 * 5", "UTC"); // the 13th, or a Friday

        assertThat(times.after(Instant.parse("2026-04-01T00:00:00Z"), 4)).containsExactly(
                Instant.parse("2026-04-03T00:00:00Z"), // Friday
                Instant.parse("2026-04-10T00:00:00Z"), // Friday
                Instant.parse("2026-04-13T00:00:00Z"), // Monday the 13th
                Instant.parse("2026-04-17T00:00:00Z")); // Friday
        assertThat(times.after(Instant.parse("2026-02-12T00:00:00Z"), 2)).containsExactly(
                Instant.parse("2026-02-13T00:00:00Z"), // Friday the 13th, once
                Instant.parse("2026-02-20T00:00:00Z"));
    }

    @Test
    void withSixFieldsBothDayFieldsMustMatch() {
        FireTimes times = cron("0 0 0 13 * FRI", "UTC"); // Friday the 13th

        assertThat(times.after(Instant.parse("2026-01-01T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-02-13T00:00:00Z"),
                Instant.parse("2026-03-13T00:00:00Z"),
                Instant.parse("2026-11-13T00:00:00Z"));
    }

    @Test
    void withFiveFieldsAnUnrestrictedDayFieldLeavesTheOtherAlone() {
        assertThat(cron("0 0 13 * ?", "UTC").after(Instant.parse("2026-04-01T00:00:00Z"), 2)).containsExactly(
                Instant.parse("2026-04-13T00:00:00Z"),
                Instant.parse("2026-05-13T00:00:00Z"));
        assertThat(cron("0 0 * * 5", "UTC").after(Instant.parse("2026-04-01T00:00:00Z"), 2)).containsExactly(
                Instant.parse("2026-04-03T00:00:00Z"),
                Instant.parse("2026-04-10T00:00:00Z"));
    }

    // --- bounds

    @Test
    void cronFiresFromStartAtItselfWhenItMatches() {
        FireTimes times = FireTimes.of(
                spec("0 * * * *", null, "UTC", Instant.parse("2026-05-01T10:00:00Z"), null), CREATED);

        assertThat(times.after(CREATED)).contains(Instant.parse("2026-05-01T10:00:00Z"));
    }

    @Test
    void cronDoesNotFireBeforeStartAt() {
        FireTimes times = FireTimes.of(
                spec("0 * * * *", null, "UTC", Instant.parse("2026-05-01T10:00:00.001Z"), null), CREATED);

        assertThat(times.after(CREATED)).contains(Instant.parse("2026-05-01T11:00:00Z"));
    }

    @Test
    void cronFiresAtEndAtAndNotAfter() {
        FireTimes times = FireTimes.of(spec("0 * * * *", null, "UTC",
                Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T12:00:00Z")), CREATED);

        assertThat(times.after(CREATED, 10)).containsExactly(
                Instant.parse("2026-05-01T10:00:00Z"),
                Instant.parse("2026-05-01T11:00:00Z"),
                Instant.parse("2026-05-01T12:00:00Z"));
        assertThat(times.after(Instant.parse("2026-05-01T12:00:00Z"))).isEmpty();
    }

    // --- fixed rate

    @Test
    void aFixedRateWithoutStartAtCountsFromTheAnchorInWholeMilliseconds() {
        Instant anchor = Instant.parse("2026-01-01T00:00:00.123456Z");
        FireTimes times = FireTimes.of(spec(null, 60_000L, "UTC", null, null), anchor);

        assertThat(times.after(anchor.minusSeconds(10))).contains(Instant.parse("2026-01-01T00:00:00.123Z"));
        assertThat(times.after(anchor)).contains(Instant.parse("2026-01-01T00:01:00.123Z"));
        assertThat(times.after(Instant.parse("2026-01-01T00:05:30Z"), 3)).containsExactly(
                Instant.parse("2026-01-01T00:06:00.123Z"),
                Instant.parse("2026-01-01T00:07:00.123Z"),
                Instant.parse("2026-01-01T00:08:00.123Z"));
    }

    @Test
    void aFixedRateCountsFromStartAtNotFromTheAnchor() {
        FireTimes times = FireTimes.of(
                spec(null, 60_000L, "UTC", Instant.parse("2025-12-31T23:59:30Z"), null), CREATED);

        assertThat(times.after(Instant.parse("2026-01-01T00:00:10Z"))).contains(Instant.parse("2026-01-01T00:00:30Z"));
        assertThat(times.after(Instant.parse("2026-01-01T00:00:30Z"))).contains(Instant.parse("2026-01-01T00:01:30Z"));
    }

    @Test
    void aFixedRateFirstFiresAtAFutureStartAt() {
        FireTimes times = FireTimes.of(
                spec(null, 3_600_000L, "UTC", Instant.parse("2026-02-01T09:00:00Z"), null), CREATED);

        assertThat(times.after(CREATED, 2)).containsExactly(
                Instant.parse("2026-02-01T09:00:00Z"),
                Instant.parse("2026-02-01T10:00:00Z"));
    }

    @Test
    void aFixedRateFiresAtEndAtAndNotAfter() {
        FireTimes times = FireTimes.of(spec(null, 60_000L, "UTC",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:03:00Z")), CREATED);

        assertThat(times.after(Instant.parse("2026-01-01T00:02:00Z"))).contains(Instant.parse("2026-01-01T00:03:00Z"));
        assertThat(times.after(Instant.parse("2026-01-01T00:03:00Z"))).isEmpty();
        assertThat(times.after(Instant.parse("2025-12-31T23:59:59.999Z"), 10)).containsExactly(
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:01:00Z"),
                Instant.parse("2026-01-01T00:02:00Z"),
                Instant.parse("2026-01-01T00:03:00Z"));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS) // stepping through a thousand years of seconds would take hours
    void aLongPauseIsSolvedForRatherThanSteppedThrough() {
        FireTimes everySecond = FireTimes.of(spec(null, 1_000L, "UTC", null, null), CREATED);
        FireTimes everySevenSeconds = FireTimes.of(spec(null, 7_000L, "UTC", null, null), CREATED);

        assertThat(everySecond.after(Instant.parse("2027-01-01T00:00:00.500Z")))
                .contains(Instant.parse("2027-01-01T00:00:01Z"));
        // 365 days are 31,536,000 s; the next multiple of 7 s after them is 31,536,001 s.
        assertThat(everySevenSeconds.after(Instant.parse("2027-01-01T00:00:00Z")))
                .contains(Instant.parse("2027-01-01T00:00:01Z"));
        assertThat(everySecond.after(Instant.parse("3026-01-01T00:00:00Z")))
                .contains(Instant.parse("3026-01-01T00:00:01Z"));
    }

    @Test
    void askingForNoFireTimesGivesNone() {
        assertThat(cron("@hourly", "UTC").after(CREATED, 0)).isEmpty();
    }

    // --- bad expressions

    @ParameterizedTest
    @ValueSource(strings = {"* * * *", "0 0 * * * * *", "garbage", "every day at noon"})
    void aWrongNumberOfFieldsIsAnInvalidRequestSayingHowManyWereFound(String bad) {
        ProtocolException error = rejected(bad);

        assertThat(error.detail())
                .contains("found " + bad.split("\\s+").length + " field")
                .contains("expected 5")
                .contains("6")
                .contains("macro");
    }

    @ParameterizedTest
    @ValueSource(strings = {"61 * * * *", "0 25 * * *", "*/0 * * * *", "a b c d e", "0 0 0 32 * *", "@reboot"})
    void anUnparsableExpressionIsAnInvalidRequestOnOneLine(String bad) {
        ProtocolException error = rejected(bad);

        assertThat(error.detail()).doesNotContain("\n").contains(bad);
    }

    @Test
    void anOutOfRangeValueIsReportedAgainstTheExpressionAsGiven() {
        ProtocolException error = rejected("61 * * * *");

        assertThat(error.detail()).contains("'61 * * * *'").contains("61").doesNotContain("0 61 * * * *");
    }

    // --- helpers

    private static ProtocolException rejected(String cron) {
        ScheduleSpec spec = spec(cron, null, "UTC", null, null);
        ProtocolException error = catchThrowableOfType(ProtocolException.class, () -> FireTimes.of(spec, CREATED));
        assertThat(error).as("rejection of '%s'", cron).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(error.detail()).startsWith("cron: ");
        return error;
    }

    /** @return the fires in [from, until) */
    private static List<Instant> firesOnTheDay(FireTimes times, Instant from, Instant until) {
        return times.after(from.minusNanos(1), 100).stream().filter(time -> time.isBefore(until)).toList();
    }

    private static FireTimes cron(String cron, String zone) {
        return FireTimes.of(spec(cron, null, zone, null, null), CREATED);
    }

    private static ScheduleSpec spec(String cron, Long everyMs, String zone, Instant startAt, Instant endAt) {
        return new ScheduleSpec("nightly-report", cron, everyMs, zone, TaskSpec.of("report", NullNode.getInstance()),
                null, null, startAt, endAt, null, null);
    }
}
