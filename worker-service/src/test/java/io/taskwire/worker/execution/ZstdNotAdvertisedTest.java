package io.taskwire.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code taskwire.worker.batch.zstd=false} the hello lists no extra encoding, so no zstd batch comes. */
@WorkerTest({"taskwire.worker.id=w-no-zstd", "taskwire.worker.batch.zstd=false"})
class ZstdNotAdvertisedTest {

    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(FakeScheduler.config(4)).start(0);

    @Test
    void helloAdvertisesNoZstdWhenTurnedOff() {
        assertThat(scheduler.awaitSetups(1, Duration.ofSeconds(10)).hello().encodings()).isNull();
    }
}
