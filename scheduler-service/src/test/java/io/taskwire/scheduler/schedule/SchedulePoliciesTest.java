package io.taskwire.scheduler.schedule;

import static io.taskwire.scheduler.schedule.ScheduledScheduler.cron;
import static io.taskwire.scheduler.schedule.ScheduledScheduler.every;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.Routes;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every misfire and overlap policy of PROTOCOL.md section 8, pause and resume across fire times,
 * {@code endAt}, trigger and delete, on a scheduler whose clock the test moves.
 */
class SchedulePoliciesTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:30Z");
    private static final Instant MINUTE_1 = Instant.parse("2026-12-07T10:01:00Z");

    private ScheduledScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void aCronScheduleFiresAtItsTimeATaskCarryingTheScheduleAndTheFireTimesKey() {
        scheduler = new ScheduledScheduler(T0);
        ScheduleView put = scheduler.put(cron("every-minute", "* * * * *", null, OverlapPolicy.ALLOW));
        assertThat(put.nextFireAt()).isEqualTo(MINUTE_1);
        assertThat(put.nextFireTimes()).containsExactly(MINUTE_1, MINUTE_1.plusSeconds(60), MINUTE_1.plusSeconds(120),
                MINUTE_1.plusSeconds(180), MINUTE_1.plusSeconds(240));

        scheduler.at(MINUTE_1.minusMillis(1));
        assertThat(scheduler.call(Routes.SCHEDULE_GET, "every-minute").fired()).as("not before its time").isZero();
        scheduler.at(MINUTE_1);
        ScheduleView fired = scheduler.awaitFired("every-minute", 1);

        assertThat(fired.lastFireAt()).isEqualTo(MINUTE_1);
        assertThat(fired.nextFireAt()).isEqualTo(MINUTE_1.plusSeconds(60));
        TaskView task = scheduler.client.get(fired.lastTaskId());
        assertThat(task.scheduleId()).isEqualTo("every-minute");
        assertThat(task.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(fired.recentTasks()).extracting(TaskView::taskId).containsExactly(task.taskId());
        assertThat(counter("taskwire.schedule.fires", "reason", "time")).isEqualTo(1);
    }

    @Test
    void aDailyLocalTimeFiresOnceAcrossBothDaylightSavingChangesInBerlin() {
        scheduler = new ScheduledScheduler(Instant.parse("2027-03-27T12:00:00Z"));
        scheduler.put(new ScheduleSpec("berlin", "30 2 * * *", null, "Europe/Berlin", ScheduledScheduler.task(), null,
                OverlapPolicy.ALLOW, null, null, null, null));

        scheduler.at(Instant.parse("2027-03-28T00:59:59.999Z"));
        assertThat(scheduler.call(Routes.SCHEDULE_GET, "berlin").fired()).isZero();
        scheduler.at(Instant.parse("2027-03-28T01:00:00Z"));
        ScheduleView gap = scheduler.awaitFired("berlin", 1);
        assertThat(gap.lastFireAt()).as("02:30 does not exist that day: 03:00 CEST").isEqualTo(Instant.parse("2027-03-28T01:00:00Z"));
        assertThat(gap.nextFireAt()).isEqualTo(Instant.parse("2027-03-29T00:30:00Z"));

        scheduler.call(Routes.SCHEDULE_DELETE, "berlin");
        scheduler.at(Instant.parse("2027-10-30T12:00:00Z"));
        scheduler.put(new ScheduleSpec("berlin", "30 2 * * *", null, "Europe/Berlin", ScheduledScheduler.task(), null,
                OverlapPolicy.ALLOW, null, null, null, null));
        scheduler.at(Instant.parse("2027-10-31T00:30:00Z"));
        ScheduleView overlap = scheduler.awaitFired("berlin", 1);
        assertThat(overlap.lastFireAt()).as("02:30 occurs twice: its first occurrence, CEST")
                .isEqualTo(Instant.parse("2027-10-31T00:30:00Z"));
        scheduler.at(Instant.parse("2027-10-31T01:30:00Z"));
        assertThat(scheduler.call(Routes.SCHEDULE_GET, "berlin").fired()).as("not again at 02:30 CET").isOne();
        assertThat(scheduler.call(Routes.SCHEDULE_GET, "berlin").nextFireAt()).isEqualTo(Instant.parse("2027-11-01T01:30:00Z"));
    }

    @Test
    void overlapSkipDropsTheFireTimesThatComeWhileThePreviousTaskRuns() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(cron("skip", "* * * * *", null, OverlapPolicy.SKIP));
        scheduler.at(MINUTE_1);
        String first = scheduler.awaitFired("skip", 1).lastTaskId();

        scheduler.at(MINUTE_1.plusSeconds(60));
        scheduler.at(MINUTE_1.plusSeconds(120));
        ScheduleView skipped = scheduler.call(Routes.SCHEDULE_GET, "skip");
        assertThat(skipped.fired()).as("two fire times came while the first task was pending").isOne();
        assertThat(skipped.nextFireAt()).isEqualTo(MINUTE_1.plusSeconds(180));
        assertThat(counter("taskwire.schedule.overlaps", "policy", "SKIP")).isEqualTo(2);

        scheduler.finish(first);
        scheduler.at(MINUTE_1.plusSeconds(180));
        ScheduleView next = scheduler.awaitFired("skip", 2);
        assertThat(next.lastFireAt()).isEqualTo(MINUTE_1.plusSeconds(180));
    }

    @Test
    void overlapBufferOneFiresOnceWhenThePreviousTaskEndsForTheFirstFireTimeHeldBack() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(cron("buffer", "* * * * *", null, OverlapPolicy.BUFFER_ONE));
        scheduler.at(MINUTE_1);
        String first = scheduler.awaitFired("buffer", 1).lastTaskId();
        scheduler.at(MINUTE_1.plusSeconds(60));
        scheduler.at(MINUTE_1.plusSeconds(120));
        assertThat(scheduler.call(Routes.SCHEDULE_GET, "buffer").fired()).isOne();

        scheduler.finish(first);
        ScheduleView buffered = scheduler.awaitFired("buffer", 2);

        assertThat(buffered.lastFireAt()).as("the first fire time held back").isEqualTo(MINUTE_1.plusSeconds(60));
        assertThat(buffered.nextFireAt()).isEqualTo(MINUTE_1.plusSeconds(180));
        assertThat(counter("taskwire.schedule.fires", "reason", "buffered")).isEqualTo(1);
        assertThat(scheduler.call(Routes.SCHEDULE_GET, "buffer").fired()).as("once, not once per held-back time").isEqualTo(2);
    }

    @Test
    void overlapAllowFiresWhateverThePreviousTaskDoes() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(cron("allow", "* * * * *", null, OverlapPolicy.ALLOW));
        scheduler.at(MINUTE_1);
        scheduler.awaitFired("allow", 1);
        scheduler.at(MINUTE_1.plusSeconds(60));
        ScheduleView second = scheduler.awaitFired("allow", 2);

        assertThat(second.recentTasks()).extracting(TaskView::status).containsOnly(TaskStatus.PENDING);
    }

    @Test
    void misfireFireOnceFiresOneTaskForEveryTimeMissedWhilePausedThenGoesOnFromNow() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(cron("once", "* * * * *", MisfirePolicy.FIRE_ONCE, OverlapPolicy.ALLOW));
        scheduler.call(Routes.SCHEDULE_PAUSE, "once");
        scheduler.at(MINUTE_1.plusSeconds(60 * 4 + 10));
        assertThat(scheduler.call(Routes.SCHEDULE_GET, "once").fired()).as("nothing while paused").isZero();

        ScheduleView resumed = scheduler.call(Routes.SCHEDULE_RESUME, "once");

        assertThat(resumed.fired()).isOne();
        assertThat(resumed.lastFireAt()).as("the first fire time missed").isEqualTo(MINUTE_1);
        assertThat(resumed.nextFireAt()).isEqualTo(MINUTE_1.plusSeconds(300));
        assertThat(counter("taskwire.schedule.misfires", "policy", "FIRE_ONCE")).isEqualTo(5);
    }

    @Test
    void misfireSkipFiresNothingForTheMissedTimes() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(cron("skip-missed", "* * * * *", MisfirePolicy.SKIP, OverlapPolicy.ALLOW));
        scheduler.call(Routes.SCHEDULE_PAUSE, "skip-missed");
        scheduler.at(MINUTE_1.plusSeconds(60 * 4 + 10));

        ScheduleView resumed = scheduler.call(Routes.SCHEDULE_RESUME, "skip-missed");

        assertThat(resumed.fired()).isZero();
        assertThat(resumed.nextFireAt()).isEqualTo(MINUTE_1.plusSeconds(300));
        scheduler.at(MINUTE_1.plusSeconds(300));
        assertThat(scheduler.awaitFired("skip-missed", 1).lastFireAt()).isEqualTo(MINUTE_1.plusSeconds(300));
    }

    @Test
    void misfireFireAllFiresEachMissedTimeOldestFirst() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(cron("all", "* * * * *", MisfirePolicy.FIRE_ALL, OverlapPolicy.SKIP));
        scheduler.call(Routes.SCHEDULE_PAUSE, "all");
        scheduler.at(MINUTE_1.plusSeconds(60 * 4 + 10));

        scheduler.call(Routes.SCHEDULE_RESUME, "all");
        ScheduleView caughtUp = scheduler.awaitFired("all", 5);

        List<TaskView> tasks = scheduler.fired("all");
        assertThat(tasks).hasSize(5);
        assertThat(caughtUp.lastFireAt()).isEqualTo(MINUTE_1.plusSeconds(240));
        assertThat(caughtUp.nextFireAt()).isEqualTo(MINUTE_1.plusSeconds(300));
    }

    @Test
    void misfireFireAllStopsAtItsCapOfOneThousand() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(every("capped", 1_000, T0.plusSeconds(1), MisfirePolicy.FIRE_ALL, OverlapPolicy.ALLOW));
        scheduler.call(Routes.SCHEDULE_PAUSE, "capped");
        scheduler.at(T0.plusSeconds(1_500));

        scheduler.call(Routes.SCHEDULE_RESUME, "capped");
        ScheduleView caughtUp = scheduler.awaitFired("capped", ScheduleSpec.MAX_CATCH_UP);

        assertThat(caughtUp.lastFireAt()).as("the oldest thousand").isEqualTo(T0.plusSeconds(1_000));
        assertThat(caughtUp.nextFireAt()).isEqualTo(T0.plusSeconds(1_501));
        assertThat(scheduler.client.get(caughtUp.lastTaskId()).scheduleId()).isEqualTo("capped");
    }

    @Test
    void aScheduleFiresUpToItsEndAtAndThenNoMore() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(new ScheduleSpec("bounded", "* * * * *", null, null, ScheduledScheduler.task(), null,
                OverlapPolicy.ALLOW, null, MINUTE_1.plusSeconds(60), null, null));
        scheduler.at(MINUTE_1);
        scheduler.awaitFired("bounded", 1);
        scheduler.at(MINUTE_1.plusSeconds(60));
        ScheduleView last = scheduler.awaitFired("bounded", 2);

        assertThat(last.nextFireAt()).as("endAt passed").isNull();
        scheduler.at(MINUTE_1.plusSeconds(600));
        assertThat(scheduler.call(Routes.SCHEDULE_GET, "bounded").fired()).isEqualTo(2);
    }

    @Test
    void triggerFiresNowEvenWhilePausedAndLeavesTheFireTimesAsTheyAre() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(cron("manual", "0 2 * * *", null, null));
        ScheduleView paused = scheduler.call(Routes.SCHEDULE_PAUSE, "manual");
        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextFireAt()).isNull();

        TaskView task = scheduler.trigger("manual");

        assertThat(task.scheduleId()).isEqualTo("manual");
        ScheduleView after = scheduler.call(Routes.SCHEDULE_GET, "manual");
        assertThat(after.fired()).isOne();
        assertThat(after.lastTaskId()).isEqualTo(task.taskId());
        assertThat(after.paused()).isTrue();
        ScheduleView resumed = scheduler.call(Routes.SCHEDULE_RESUME, "manual");
        assertThat(resumed.nextFireAt()).isEqualTo(Instant.parse("2026-12-08T02:00:00Z"));
    }

    @Test
    void aDeletedScheduleFiresNoMoreAndItsTasksStay() {
        scheduler = new ScheduledScheduler(T0);
        scheduler.put(cron("gone", "* * * * *", null, OverlapPolicy.ALLOW));
        scheduler.at(MINUTE_1);
        String task = scheduler.awaitFired("gone", 1).lastTaskId();

        ScheduleView last = scheduler.call(Routes.SCHEDULE_DELETE, "gone");
        scheduler.at(MINUTE_1.plusSeconds(60));

        assertThat(last.fired()).isOne();
        assertThat(scheduler.context.getBean(Schedules.class).list(10)).isEmpty();
        assertThat(scheduler.client.get(task).scheduleId()).isEqualTo("gone");
    }

    private double counter(String name, String tag, String value) {
        var counter = scheduler.context.getBean(MeterRegistry.class).find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
