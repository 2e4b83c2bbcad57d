package io.taskwire.scheduler.console.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.taskwire.messages.InvalidMessageException;
import io.taskwire.messages.Json;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.Routing;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.TaskSpec;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The schedule form read into a spec and back: units, local times in the schedule's zone, and errors naming the spec's field. */
class ScheduleFormTest {

    private static final ScheduleForm BERLIN = new ScheduleForm(" weekly ", "every", "ignored", "90", "MIN",
            "Europe/Berlin", "report", "{\"n\": 1}", "SKIP", "ALLOW", "2030-03-29T00:00", "2030-04-01T12:30:15", "2",
            "S", "on");

    @Test
    void aRateAndAJitterAreAnAmountInAUnitAndStartAndEndAreLocalTimesInTheSchedulesZone() {
        ScheduleSpec spec = BERLIN.toSpec(null);

        assertThat(spec.scheduleId()).isEqualTo("weekly");
        assertThat(spec.cron()).as("every chosen: the cron box is ignored").isNull();
        assertThat(spec.everyMs()).isEqualTo(90 * 60_000L);
        assertThat(spec.jitterMs()).isEqualTo(2_000);
        assertThat(spec.startAt()).as("00:00 CET").isEqualTo(Instant.parse("2030-03-28T23:00:00Z"));
        assertThat(spec.endAt()).as("12:30:15 CEST").isEqualTo(Instant.parse("2030-04-01T10:30:15Z"));
        assertThat(spec.misfire()).isEqualTo(MisfirePolicy.SKIP);
        assertThat(spec.overlap()).isEqualTo(OverlapPolicy.ALLOW);
        assertThat(spec.paused()).isTrue();
        assertThat(spec.task().payload().get("n").asInt()).isEqualTo(1);
    }

    @Test
    void aStoredSpecReadsBackIntoTheSameSpecInTheLargestWholeUnits() {
        ScheduleSpec stored = BERLIN.toSpec(null);
        ScheduleForm shown = ScheduleForm.of(stored);

        assertThat(shown.every()).isEqualTo("90");
        assertThat(shown.everyUnit()).isEqualTo("MIN");
        assertThat(shown.startAt()).isEqualTo("2030-03-29T00:00");
        assertThat(shown.toSpec(null)).isEqualTo(stored);
        assertThat(ScheduleForm.Unit.format(7_200_000)).isEqualTo("2 h");
        assertThat(ScheduleForm.Unit.format(1_500)).isEqualTo("1500 ms");
    }

    @Test
    void anEditKeepsTheTaskOptionsTheFormDoesNotShow() {
        TaskSpec kept = new TaskSpec("old-type", Json.mapper().nullNode(), null, "k-1", 4_321L, 2, null, Routing.DEFAULT);

        TaskSpec task = BERLIN.toSpec(kept).task();

        assertThat(task.type()).isEqualTo("report");
        assertThat(task.key()).isEqualTo("k-1");
        assertThat(task.timeoutMs()).isEqualTo(4_321L);
        assertThat(task.maxAttempts()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "every  | 1.5      | UTC         | report | {}    | 2030-01-01T00:00 | everyMs",
            "every  | 0        | UTC         | report | {}    | 2030-01-01T00:00 | everyMs",
            "cron   | 5        | Mars/Dome   | report | {}    | 2030-01-01T00:00 | timeZone",
            "cron   | 5        | UTC         | ' '    | {}    | 2030-01-01T00:00 | task.type",
            "cron   | 5        | UTC         | report | {no   | 2030-01-01T00:00 | task.payload",
            "cron   | 5        | UTC         | report | {}    | tomorrow         | startAt"})
    void aMistakeIsNamedByTheSpecsField(String kind, String every, String zone, String type, String payload, String startAt,
                                         String field) {
        ScheduleForm form = new ScheduleForm("s", kind, "0 * * * *", every, "S", zone, type, payload, null, null, startAt,
                null, null, null, null);

        InvalidMessageException refused = catchThrowableOfType(InvalidMessageException.class, () -> form.toSpec(null));

        assertThat(refused).isNotNull();
        assertThat(refused.field()).isEqualTo(field);
        assertThat(refused.getMessage()).startsWith(field + " ");
    }
}
