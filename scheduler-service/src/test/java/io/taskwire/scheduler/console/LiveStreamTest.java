package io.taskwire.scheduler.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The shape of a live console stream, on virtual time: the snapshot first, then the updates, and an
 * end after the stream's lifetime, however quiet or busy it was, so that no request is held forever.
 */
class LiveStreamTest {

    @Test
    void aStreamSendsTheSnapshotThenUpdatesAndEndsAfterItsLifetime() {
        Sinks.Many<String> updates = Sinks.many().multicast().directBestEffort();

        StepVerifier.withVirtualTime(() -> LiveStream.of(() -> "history", updates.asFlux(), Duration.ofMinutes(10)))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("snapshot");
                    assertThat(event.data()).isEqualTo("history");
                })
                .then(() -> updates.tryEmitNext("sample-1"))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("update");
                    assertThat(event.data()).isEqualTo("sample-1");
                })
                .thenAwait(Duration.ofMinutes(9))
                .then(() -> updates.tryEmitNext("sample-2"))
                .assertNext(event -> assertThat(event.data()).isEqualTo("sample-2"))
                .thenAwait(Duration.ofMinutes(1))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }
}
