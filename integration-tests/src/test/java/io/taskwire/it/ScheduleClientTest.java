package io.taskwire.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import io.taskwire.client.ScheduleRequest;
import io.taskwire.client.TaskRequest;
import io.taskwire.client.TaskwireClient;
import io.taskwire.client.error.InvalidRequestException;
import io.taskwire.client.error.NotFoundException;
import io.taskwire.client.error.UnknownTaskTypeException;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schedule calls of {@code taskwire-client} against a real scheduler and a real worker over TCP
 * (PROTOCOL.md section 8): a schedule's whole life, and each kind of refusal as its exception type.
 */
class ScheduleClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static LocalCluster cluster;
    private static TaskwireClient client;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start();
        cluster.startWorker("schedule-client-w1");
        client = clientWith(Tokens.CLIENT);
        cluster.awaitLiveWorkers(1, WAIT);
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        cluster.close();
    }

    private static TaskwireClient clientWith(String token) {
        return cluster.taskwireClient(token, "schedule-client-test");
    }

    /** Every second from now, a task of the type with the payload 7. */
    private static ScheduleSpec everySecond(String scheduleId, String type) {
        return new ScheduleSpec(scheduleId, null, 1_000L, null, TaskSpec.of(type, IntNode.valueOf(7)),
                null, null, null, null, null, null);
    }

    @Test
    void aScheduleFiresTasksThatRunAndIsPausedTriggeredResumedListedAndDeleted() {
        ScheduleView put = client.putSchedule(ScheduleRequest.every("client-every-second", Duration.ofSeconds(1),
                TaskRequest.of("echo", 7)).overlap(OverlapPolicy.ALLOW));
        assertThat(put.spec().everyMs()).isEqualTo(1_000L);
        assertThat(put.spec().overlap()).isEqualTo(OverlapPolicy.ALLOW);
        assertThat(put.scheduleId()).isEqualTo("client-every-second");
        assertThat(put.paused()).isFalse();
        assertThat(put.nextFireTimes()).isNotEmpty();

        ScheduleView ran = await().atMost(WAIT).until(() -> client.getSchedule("client-every-second"),
                view -> view.recentTasks().stream().anyMatch(task -> task.status() == TaskStatus.SUCCEEDED));
        TaskView task = client.get(ran.recentTasks().stream().filter(view -> view.status() == TaskStatus.SUCCEEDED)
                .findFirst().orElseThrow().taskId());
        assertThat(task.scheduleId()).isEqualTo("client-every-second");
        assertThat(task.output().asInt()).isEqualTo(7);

        ScheduleView paused = client.pauseSchedule("client-every-second");
        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextFireAt()).as("a paused schedule has no next fire time").isNull();
        assertThat(client.pauseSchedule("client-every-second").fired()).as("pausing twice changes nothing")
                .isEqualTo(paused.fired());

        TaskView triggered = client.triggerSchedule("client-every-second");
        assertThat(triggered.scheduleId()).isEqualTo("client-every-second");
        assertThat(client.awaitFinal(triggered.taskId(), WAIT).status()).isEqualTo(TaskStatus.SUCCEEDED);
        ScheduleView afterTrigger = client.getSchedule("client-every-second");
        assertThat(afterTrigger.fired()).as("paused, it fired only the trigger").isEqualTo(paused.fired() + 1);
        assertThat(afterTrigger.lastTaskId()).isEqualTo(triggered.taskId());
        assertThat(afterTrigger.paused()).isTrue();

        ScheduleView resumed = client.resumeSchedule("client-every-second");
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.nextFireAt()).isNotNull();

        assertThat(client.listSchedules(100)).extracting(ScheduleView::scheduleId).contains("client-every-second");

        ScheduleView deleted = client.deleteSchedule("client-every-second");
        assertThat(deleted.scheduleId()).isEqualTo("client-every-second");
        assertThatThrownBy(() -> client.getSchedule("client-every-second"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("client-every-second");
        assertThatThrownBy(() -> client.deleteSchedule("client-every-second"))
                .as("a second delete finds nothing").isInstanceOf(NotFoundException.class);
        assertThat(client.listSchedules(100)).extracting(ScheduleView::scheduleId).doesNotContain("client-every-second");
        assertThat(client.get(triggered.taskId()).scheduleId()).as("its tasks stay").isEqualTo("client-every-second");
    }

    @Test
    void refusalsArriveAsTheExceptionTypeOfTheirCodeAndStoreNothing() {
        ScheduleSpec badCron = new ScheduleSpec("client-bad-cron", "61 * * * *", null, null,
                TaskSpec.of("echo", IntNode.valueOf(1)), null, null, null, null, null, null);
        assertThatThrownBy(() -> client.putSchedule(badCron))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        invalid -> assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("cron");
        assertThatThrownBy(() -> client.getSchedule("client-bad-cron")).isInstanceOf(NotFoundException.class);

        assertThatThrownBy(() -> client.putSchedule(everySecond("client-unknown-type", "no-such-type")))
                .isInstanceOf(UnknownTaskTypeException.class).hasMessageContaining("no-such-type");
        assertThatThrownBy(() -> client.getSchedule("client-unknown-type")).isInstanceOf(NotFoundException.class);

        assertThatThrownBy(() -> client.triggerSchedule("client-no-such-schedule"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("client-no-such-schedule");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsSentNamingTheField() {
        try (TaskwireClient fresh = clientWith(Tokens.CLIENT)) {
            assertThatThrownBy(() -> fresh.getSchedule(""))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("scheduleId"));
            assertThatThrownBy(() -> fresh.triggerSchedule(null))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("scheduleId"));
            assertThatThrownBy(() -> fresh.deleteSchedule("s".repeat(200)))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("scheduleId"));
            assertThatThrownBy(() -> fresh.listSchedules(0))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("limit"));
            assertThatThrownBy(() -> fresh.reactive().listSchedules(1001).block(WAIT))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("limit"));
            assertThatThrownBy(() -> fresh.putSchedule(ScheduleRequest.every("client-too-fast", Duration.ofMillis(999),
                    TaskRequest.of("echo", 1))))
                    .isInstanceOfSatisfying(InvalidRequestException.class, invalid -> assertThat(invalid.field()).isEqualTo("everyMs"));
            assertThatThrownBy(() -> fresh.putSchedule(ScheduleRequest.cron("client-own-key", "@daily",
                    TaskRequest.of("echo", 1).idempotencyKey("mine"))))
                    .isInstanceOfSatisfying(InvalidRequestException.class,
                            invalid -> assertThat(invalid.field()).isEqualTo("task.idempotencyKey"));
            assertThat(fresh.connectedTo()).as("nothing was sent, so the client never dialed").isEmpty();
        }
    }
}
