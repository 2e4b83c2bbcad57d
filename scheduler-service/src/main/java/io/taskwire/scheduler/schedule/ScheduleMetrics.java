package io.taskwire.scheduler.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskwire.messages.MisfirePolicy;
import io.taskwire.messages.OverlapPolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What schedules did: fires by reason, missed fire times by policy, fire times an overlap held back
 * or dropped, fires that could not be stored, and the lag of each fire behind its time. Every meter
 * is registered once, here, so that a burst of fires looks none up.
 */
final class ScheduleMetrics {

    private final Timer lag;
    private final Counter failures;
    private final Map<Fire.Reason, Counter> fires = new EnumMap<>(Fire.Reason.class);
    private final Map<MisfirePolicy, Counter> misfires = new EnumMap<>(MisfirePolicy.class);
    private final Map<OverlapPolicy, Counter> overlaps = new EnumMap<>(OverlapPolicy.class);

    ScheduleMetrics(MeterRegistry meters) {
        this.lag = Timer.builder("taskwire.schedule.fire.lag")
                .description("How late a fire's task was handed to the store, against its fire time (plus jitter)")
                .publishPercentileHistogram()
                .register(meters);
        this.failures = Counter.builder("taskwire.schedule.fire.failures")
                .description("Fires whose task could not be stored (tried again after the retry interval)")
                .register(meters);
        for (Fire.Reason reason : Fire.Reason.values()) {
            fires.put(reason, Counter.builder("taskwire.schedule.fires").description("Tasks fired by schedules")
                    .tag("reason", reason.tag()).register(meters));
        }
        for (MisfirePolicy policy : MisfirePolicy.values()) {
            misfires.put(policy, Counter.builder("taskwire.schedule.misfires")
                    .description("Fire times missed while no scheduler led or paused")
                    .tag("policy", policy.name()).register(meters));
        }
        for (OverlapPolicy policy : OverlapPolicy.values()) {
            overlaps.put(policy, Counter.builder("taskwire.schedule.overlaps")
                    .description("Fire times that came while the previous task ran")
                    .tag("policy", policy.name()).register(meters));
        }
    }

    /** A fire's task was created. */
    void fired(Fire.Reason reason) {
        fires.get(reason).increment();
    }

    /** A fire at its time (not a catch-up, a buffered one or a trigger) was that late. */
    void lag(Duration late) {
        lag.record(late.isNegative() ? Duration.ZERO : late);
    }

    /** Fire times were missed while no scheduler led or while the schedule was paused. */
    void missed(int fireTimes, MisfirePolicy policy) {
        misfires.get(policy).increment(fireTimes);
    }

    /** A fire time came while the schedule's previous task ran, and was dropped or held back. */
    void overlapped(OverlapPolicy policy) {
        overlaps.get(policy).increment();
    }

    void failed() {
        failures.increment();
    }
}
