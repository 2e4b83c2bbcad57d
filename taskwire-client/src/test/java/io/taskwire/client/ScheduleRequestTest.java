package io.taskwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskwire.client.error.InvalidRequestException;
import io.taskwire.messages.Json;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleRequestTest {

    record Report(String name, int days) {
    }

    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void aCronRequestWithATypedPayloadAndEveryOptionReachesTheSpec() {
        ScheduleSpec spec = ScheduleRequest.cron("nightly-report", "0 2 * * *",
                        TaskRequest.of("report", new Report("sales", 7)).timeout(Duration.ofMinutes(5)).maxAttempts(2))
                .timeZone("Europe/Berlin").misfire(MisfirePolicy.FIRE_ALL).overlap(OverlapPolicy.BUFFER_ONE)
                .startAt(START).endAt(START.plus(Duration.ofDays(365))).jitter(Duration.ofSeconds(30)).paused()
                .toSpec(Json.mapper());

        assertThat(spec.scheduleId()).isEqualTo("nightly-report");
        assertThat(spec.cron()).isEqualTo("0 2 * * *");
        assertThat(spec.everyMs()).isNull();
        assertThat(spec.timeZone()).isEqualTo("Europe/Berlin");
        assertThat(spec.task().type()).isEqualTo("report");
        assertThat(spec.task().payload().get("name").asText()).isEqualTo("sales");
        assertThat(spec.task().payload().get("days").asInt()).isEqualTo(7);
        assertThat(spec.task().timeoutMs()).isEqualTo(300_000L);
        assertThat(spec.task().maxAttempts()).isEqualTo(2);
        assertThat(spec.misfire()).isEqualTo(MisfirePolicy.FIRE_ALL);
        assertThat(spec.overlap()).isEqualTo(OverlapPolicy.BUFFER_ONE);
        assertThat(spec.startAt()).isEqualTo(START);
        assertThat(spec.endAt()).isEqualTo(START.plus(Duration.ofDays(365)));
        assertThat(spec.jitterMs()).isEqualTo(30_000L);
        assertThat(spec.paused()).isTrue();
    }

    @Test
    void aFixedRateRequestTakesTheDefaultsOfTheProtocol() {
        ScheduleSpec spec = ScheduleRequest.every("poll-feeds", Duration.ofMinutes(5), TaskRequest.of("poll", null))
                .toSpec(Json.mapper());

        assertThat(spec.everyMs()).isEqualTo(300_000L);
        assertThat(spec.cron()).isNull();
        assertThat(spec.timeZone()).isEqualTo(ScheduleSpec.DEFAULT_TIME_ZONE);
        assertThat(spec.misfire()).isEqualTo(MisfirePolicy.FIRE_ONCE);
        assertThat(spec.overlap()).isEqualTo(OverlapPolicy.SKIP);
        assertThat(spec.jitterMs()).isZero();
        assertThat(spec.paused()).isFalse();
        assertThat(spec.task().payload().isNull()).isTrue();
    }

    @Test
    void eachBrokenRuleIsRefusedNamingItsFieldTheTasksUnderTask() {
        TaskRequest task = TaskRequest.of("echo", 1);
        assertField(ScheduleRequest.cron("", "@daily", task), "scheduleId");
        assertField(ScheduleRequest.cron("s".repeat(ScheduleSpec.MAX_SCHEDULE_ID_LENGTH + 1), "@daily", task), "scheduleId");
        assertField(ScheduleRequest.cron("blank", " ", task), "cron");
        assertField(ScheduleRequest.cron("no-task", "@daily", null), "task");
        assertField(ScheduleRequest.every("too-fast", Duration.ofMillis(999), task), "everyMs");
        assertField(ScheduleRequest.every("forever", Duration.ofSeconds(Long.MAX_VALUE), task), "everyMs");
        assertField(ScheduleRequest.cron("mars", "@daily", task).timeZone("Mars/Olympus"), "timeZone");
        assertField(ScheduleRequest.cron("ends-first", "@daily", task).startAt(START).endAt(START.minusSeconds(1)), "endAt");
        assertField(ScheduleRequest.cron("early", "@daily", task).jitter(Duration.ofMillis(-1)), "jitterMs");
        assertField(ScheduleRequest.cron("own-key", "@daily", task.idempotencyKey("mine")), "task.idempotencyKey");
        assertField(ScheduleRequest.cron("no-type", "@daily", TaskRequest.of("", 1)), "task.type");
        assertField(ScheduleRequest.cron("zero-timeout", "@daily", task.timeout(Duration.ZERO)), "task.timeoutMs");
        assertThatThrownBy(() -> ScheduleRequest.cron("no-type", "@daily", TaskRequest.of("", 1)).toSpec(Json.mapper()))
                .hasMessage("INVALID_REQUEST: task.type must not be blank");
    }

    private static void assertField(ScheduleRequest request, String field) {
        assertThatThrownBy(() -> request.toSpec(Json.mapper())).as(field).isInstanceOfSatisfying(
                InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo(field));
    }
}
