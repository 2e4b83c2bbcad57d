package io.taskwire.scheduler.api;

import io.taskwire.messages.Routes;
import io.taskwire.messages.ScheduleQuery;
import io.taskwire.messages.ScheduleRef;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskView;
import io.taskwire.scheduler.schedule.Schedules;
import java.util.List;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** The schedule routes of PROTOCOL.md section 3 (section 8). */
@Controller
class ScheduleController {

    private final Schedules schedules;
    private final Submissions submissions;

    ScheduleController(Schedules schedules, Submissions submissions) {
        this.schedules = schedules;
        this.submissions = submissions;
    }

    @MessageMapping(Routes.SCHEDULE_PUT)
    Mono<ScheduleView> put(ScheduleSpec spec) {
        submissions.check(spec.task(), "task.");
        return schedules.put(spec, false);
    }

    @MessageMapping(Routes.SCHEDULE_GET)
    Mono<ScheduleView> get(ScheduleRef ref) {
        return schedules.get(ref.scheduleId());
    }

    @MessageMapping(Routes.SCHEDULE_LIST)
    List<ScheduleView> list(ScheduleQuery query) {
        return schedules.list(query.limit());
    }

    @MessageMapping(Routes.SCHEDULE_PAUSE)
    Mono<ScheduleView> pause(ScheduleRef ref) {
        return schedules.pause(ref.scheduleId());
    }

    @MessageMapping(Routes.SCHEDULE_RESUME)
    Mono<ScheduleView> resume(ScheduleRef ref) {
        return schedules.resume(ref.scheduleId());
    }

    @MessageMapping(Routes.SCHEDULE_TRIGGER)
    Mono<TaskView> trigger(ScheduleRef ref) {
        return schedules.trigger(ref.scheduleId());
    }

    @MessageMapping(Routes.SCHEDULE_DELETE)
    Mono<ScheduleView> delete(ScheduleRef ref) {
        return schedules.delete(ref.scheduleId());
    }
}
