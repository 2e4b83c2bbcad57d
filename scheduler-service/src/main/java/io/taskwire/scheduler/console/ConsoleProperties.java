package io.taskwire.scheduler.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's live pages.
 *
 * @param samplePeriod how often the overview takes a sample of the scheduler's meters, and so how
 *        often each open overview gets an event
 * @param history how far back the overview's chart reaches: the sampler keeps this much, in
 *        {@code history / samplePeriod} samples, whatever the uptime
 * @param streamLifetime a live stream ends after this long, and the browser opens it again (getting
 *        the history anew): a browser that went away without closing its connection holds it no longer
 */
@ConfigurationProperties("taskwire.scheduler.console")
public record ConsoleProperties(
        @DefaultValue("2s") Duration samplePeriod,
        @DefaultValue("15m") Duration history,
        @DefaultValue("10m") Duration streamLifetime) {

    public ConsoleProperties {
        if (samplePeriod.toMillis() < 100) {
            throw new IllegalArgumentException("taskwire.scheduler.console.sample-period must be at least 100ms, was "
                    + samplePeriod);
        }
        if (history.compareTo(samplePeriod) < 0 || streamLifetime.compareTo(samplePeriod) < 0) {
            throw new IllegalArgumentException("taskwire.scheduler.console.history (" + history + ") and stream-lifetime ("
                    + streamLifetime + ") must be at least the sample period (" + samplePeriod + ")");
        }
    }

    /** @return how many samples cover the history */
    public int samples() {
        return Math.toIntExact(history.toMillis() / samplePeriod.toMillis());
    }
}
