package io.taskwire.worker.heartbeat;

import io.taskwire.messages.Ping;
import io.taskwire.messages.Pong;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.worker.support.FakeScheduler;
import io.taskwire.worker.support.FakeScheduler.Beat;
import io.taskwire.worker.support.Tasks;
import io.taskwire.worker.support.WorkerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WorkerTest({"taskwire.worker.id=w-beat", "taskwire.worker.slots=2", "taskwire.worker.heartbeat-interval=2s"})
class LivenessTest {

    /** Pushes a heartbeat interval ten times shorter than the worker's own default. */
    @RegisterExtension
    static final FakeScheduler scheduler = FakeScheduler.sendingOnAccept(new WorkerConfig(200, 2)).start(0);

    @Test
    void heartbeatsAtTheIntervalTheSchedulerPushed() throws InterruptedException {
        scheduler.awaitSetups(1, Duration.ofSeconds(10));
        scheduler.heartbeats().clear();

        List<Beat> beats = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Beat beat = scheduler.heartbeats().poll(3, TimeUnit.SECONDS);
            assertThat(beat).as("heartbeat %d", i + 1).isNotNull();
            beats.add(beat);
        }

        for (int i = 1; i < beats.size(); i++) {
            assertThat(beats.get(i).heartbeat().seq()).isGreaterThan(beats.get(i - 1).heartbeat().seq());
        }
        long meanGapMs = TimeUnit.NANOSECONDS.toMillis(
                beats.get(beats.size() - 1).receivedNanos() - beats.get(0).receivedNanos()) / (beats.size() - 1);
        assertThat(meanGapMs).as("mean gap between heartbeats").isBetween(100L, 700L);
        for (Beat beat : beats) {
            WorkerHeartbeat heartbeat = beat.heartbeat();
            assertThat(heartbeat.workerId()).isEqualTo("w-beat");
            assertThat(heartbeat.running()).isZero();
            assertThat(heartbeat.freeSlots()).isEqualTo(2);
            assertThat(heartbeat.heapMaxBytes()).isPositive();
        }
    }

    @Test
    void heartbeatReportsTheRunningTask() throws InterruptedException {
        Disposable sleeping = scheduler.execute(Tasks.sleep(3_000)).subscribe();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                Beat beat = scheduler.heartbeats().poll(1, TimeUnit.SECONDS);
                return beat != null && beat.heartbeat().running() == 1 && beat.heartbeat().freeSlots() == 1;
            });
        } finally {
            sleeping.dispose();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Beat beat = scheduler.heartbeats().poll(1, TimeUnit.SECONDS);
            return beat != null && beat.heartbeat().running() == 0 && beat.heartbeat().freeSlots() == 2;
        });
    }

    @Test
    void answersPingEchoingSentAt() {
        Instant sentAt = Instant.parse("2026-11-24T10:15:30.123456789Z");
        Instant before = Instant.now();

        Pong pong = scheduler.ping(new Ping(sentAt)).block(Duration.ofSeconds(5));

        assertThat(pong).isNotNull();
        assertThat(pong.sentAt()).isEqualTo(sentAt);
        assertThat(pong.receivedAt()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    }
}
