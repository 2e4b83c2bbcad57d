package io.taskwire.scheduler.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.scheduler.console.ConsoleProperties;
import io.taskwire.scheduler.console.overview.OverviewSample.Rates;
import io.taskwire.scheduler.console.overview.OverviewSample.Totals;
import io.taskwire.scheduler.support.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The sampler alone, its samples taken by hand on a clock the test moves: its history never holds
 * more than the configured 15 minutes, its rates are per second, and a stream that does not read
 * gets the newest sample rather than a backlog.
 */
class OverviewSamplerTest {

    private static final Duration PERIOD = Duration.ofSeconds(2);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-08T02:00:00Z"));
    private final CountingMeters meters = new CountingMeters();
    private final OverviewSampler sampler = new OverviewSampler(meters,
            new ConsoleProperties(PERIOD, Duration.ofMinutes(15), Duration.ofMinutes(10)), clock);

    @Test
    void theHistoryNeverHoldsMoreThanFifteenMinutesOfSamples() {
        for (int i = 0; i < 1_000; i++) {
            clock.advance(PERIOD);
            sampler.takeSample();
        }

        OverviewHistory history = sampler.history();
        assertThat(history.capacity()).isEqualTo(450);
        assertThat(history.at()).hasSize(450);
        assertThat(history.at()[449] - history.at()[0]).isLessThan(Duration.ofMinutes(15).toMillis());
        assertThat(history.at()[449]).as("the newest kept").isEqualTo(clock.millis());
        assertThat(history.latest().at()).isEqualTo(clock.millis());
        assertThat(history.at()).isSorted();
    }

    @Test
    void ratesArePerSecondOverTheSamplePeriod() {
        meters.submitted = 10;
        meters.succeeded = 4;
        sampler.takeSample();

        assertThat(sampler.history().latest().rates()).isEqualTo(new Rates(5, 2, 0));
        assertThat(sampler.history().submitted()).containsExactly(5);
    }

    @Test
    void aStreamThatDoesNotReadGetsOnlyTheNewestSample() {
        StepVerifier.create(sampler.samples(), 0)
                .then(() -> {
                    for (int i = 1; i <= 100; i++) {
                        clock.advance(PERIOD);
                        sampler.takeSample();
                    }
                })
                .thenRequest(1)
                .assertNext(sample -> assertThat(sample.at()).isEqualTo(clock.millis()))
                .thenRequest(1)
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    /** The meters' sums, set by the test; the rest of a sample is left empty. */
    private static final class CountingMeters extends OverviewMeters {

        double submitted;
        double succeeded;

        CountingMeters() {
            super(null, null, null, null);
        }

        @Override
        Totals totals() {
            return new Totals(submitted, succeeded, 0);
        }

        @Override
        OverviewSample sample(long at, Rates rates) {
            return new OverviewSample(at, rates, 0, 0, null, null, 0, 0, "LEADER", null, List.of());
        }
    }
}
