package io.taskwire.scheduler.schedule;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskwire.messages.Json;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import io.taskwire.messages.Routes;
import io.taskwire.messages.ScheduleRef;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.scheduler.dispatch.TaskClient;
import io.taskwire.scheduler.support.SettableClock;
import io.taskwire.scheduler.support.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A scheduler on the in-memory store whose clock the test moves, with no worker: a fired task stays
 * PENDING (not final) until the test aborts it. {@link #at} moves the clock and fires what is due.
 */
final class ScheduledScheduler implements AutoCloseable {

    static final Duration WITHIN = Duration.ofSeconds(10);

    final SettableClock clock;
    final ConfigurableApplicationContext context;
    final TaskClient client;
    final Schedules schedules;
    final ScheduleFires fires;

    ScheduledScheduler(Instant start, String... properties) {
        this.clock = new SettableClock(start);
        List<String> args = new ArrayList<>(List.of(
                "--" + TestTokens.WORKER_PROPERTY,
                "--" + TestTokens.CLIENT_PROPERTY,
                "--server.port=0",
                "--spring.rsocket.server.port=0",
                "--management.server.port=0",
                "--taskwire.scheduler.store.in-memory=true",
                "--taskwire.scheduler.tasks.declared-types=report"));
        for (String property : properties) {
            args.add("--" + property);
        }
        TestClock.clock = clock;
        this.context = SchedulerApplication.builder().sources(TestClock.class).run(args.toArray(String[]::new));
        this.schedules = context.getBean(Schedules.class);
        this.fires = context.getBean(ScheduleFires.class);
        this.client = TaskClient.connect(Integer.parseInt(context.getEnvironment().getProperty("local.rsocket.server.port")));
    }

    /** Moves the clock to that instant and fires what is due then. */
    void at(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
        fires.fireDue();
    }

    ScheduleView put(ScheduleSpec spec) {
        return client.requester().route(Routes.SCHEDULE_PUT).data(spec).retrieveMono(ScheduleView.class).block(WITHIN);
    }

    ScheduleView call(String route, String scheduleId) {
        return client.requester().route(route).data(new ScheduleRef(scheduleId)).retrieveMono(ScheduleView.class)
                .block(WITHIN);
    }

    TaskView trigger(String scheduleId) {
        return client.requester().route(Routes.SCHEDULE_TRIGGER).data(new ScheduleRef(scheduleId))
                .retrieveMono(TaskView.class).block(WITHIN);
    }

    /** @return the tasks the schedule fired, oldest first, as the task list shows them */
    List<TaskView> fired(String scheduleId) {
        return client.requester().route(Routes.SCHEDULE_GET).data(new ScheduleRef(scheduleId))
                .retrieveMono(ScheduleView.class).block(WITHIN).recentTasks().stream()
                .sorted(Comparator.comparing(TaskView::createdAt)).toList();
    }

    /** Waits until the schedule has fired that many tasks in all. */
    ScheduleView awaitFired(String scheduleId, long count) {
        return await().atMost(WITHIN).pollInterval(Duration.ofMillis(20))
                .until(() -> call(Routes.SCHEDULE_GET, scheduleId), view -> view.fired() == count);
    }

    void finish(String taskId) {
        client.abort(taskId);
        client.awaitStatus(taskId, TaskStatus.ABORTED, WITHIN);
    }

    static ScheduleSpec cron(String id, String cron, MisfirePolicy misfire, OverlapPolicy overlap) {
        return new ScheduleSpec(id, cron, null, null, task(), misfire, overlap, null, null, null, null);
    }

    static ScheduleSpec every(String id, long everyMs, Instant startAt, MisfirePolicy misfire, OverlapPolicy overlap) {
        return new ScheduleSpec(id, null, everyMs, null, task(), misfire, overlap, startAt, null, null, null);
    }

    static TaskSpec task() {
        ObjectNode payload = Json.mapper().createObjectNode().put("report", "daily");
        return TaskSpec.of("report", payload);
    }

    @Override
    public void close() {
        client.close();
        context.close();
    }

    /**
     * The test's clock in place of the system's: a source of this test's context only (not a
     * {@code @Configuration}, which the other tests' contexts would find by scanning).
     */
    static class TestClock {

        static volatile SettableClock clock;

        @Bean
        @Primary
        Clock settableClock() {
            return clock;
        }
    }
}
