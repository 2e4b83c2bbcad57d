package io.taskwire.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

class PeerErrorLogTest {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private PeerErrorLog log;

    @BeforeEach
    void capture() {
        Logger logger = (Logger) LoggerFactory.getLogger("peer-error-log-test-" + System.nanoTime());
        lines.start();
        logger.addAppender(lines);
        log = new PeerErrorLog(logger, Duration.ofMillis(300), Schedulers.parallel());
    }

    @Test
    void aFloodOfOneKindIsOneLineAndThenOneCountOfTheRest() {
        for (int n = 0; n < 10_000; n++) {
            log.warn("bad data on task.submit", "request " + n);
        }

        assertThat(messages()).containsExactly("bad data on task.submit: request 0");
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() == 2);
        assertThat(messages().get(1)).isEqualTo("bad data on task.submit: 9999 more in the last 0 s; the latest: request 9999");
    }

    @Test
    void eachKindHasItsOwnLineAndAnUnexpectedFailureItsStackTraceOnce() {
        log.warn("refused SETUP UNAUTHORIZED", "from 10.0.0.1");
        log.warn("refused SETUP FORBIDDEN", "from 10.0.0.2");
        log.unexpected("handling task.get", new IllegalStateException("boom"));
        log.unexpected("handling task.get", new IllegalStateException("boom again"));

        assertThat(messages()).containsExactly("refused SETUP UNAUTHORIZED: from 10.0.0.1",
                "refused SETUP FORBIDDEN: from 10.0.0.2", "handling task.get");
        assertThat(lines.list.get(2).getThrowableProxy().getMessage()).isEqualTo("boom");
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() == 4);
        assertThat(lines.list.get(3).getFormattedMessage()).contains("1 more").contains("boom again");
        assertThat(lines.list.get(3).getThrowableProxy()).isNull();
    }

    @Test
    void kindsBeyondTheCapShareOneLine() {
        for (int n = 0; n < PeerErrorLog.MAX_KINDS + 50; n++) {
            log.warn("kind " + n, "detail");
        }

        assertThat(lines.list).hasSize(PeerErrorLog.MAX_KINDS + 1);
        assertThat(messages().get(PeerErrorLog.MAX_KINDS)).startsWith("other peer errors: ");
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
