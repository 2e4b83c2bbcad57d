package io.taskwire.sample;

import io.taskwire.client.TaskRequest;
import io.taskwire.client.TaskwireClient;
import io.taskwire.client.error.UnknownTaskTypeException;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.util.retry.Retry;

/**
 * {@code POST /word-count} with a text: runs a {@code word-count} task through the scheduler and
 * answers with its output. At start-up it runs one, and logs it.
 */
@RestController
public class WordCountController {

    private static final Logger log = LoggerFactory.getLogger(WordCountController.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TaskwireClient taskwire;

    WordCountController(TaskwireClient taskwire) {
        this.taskwire = taskwire;
    }

    @PostMapping("/word-count")
    ResponseEntity<?> count(@RequestBody WordCounts.Text text) {
        TaskView done = taskwire.sendSync(TaskRequest.of("word-count", text), WAIT);
        if (done.status() != TaskStatus.SUCCEEDED) {
            return ResponseEntity.unprocessableEntity().body(done.error());
        }
        return ResponseEntity.ok(taskwire.output(done, WordCounts.WordCount.class));
    }

    /**
     * One task at start-up, to show both roles at work. Until this application's worker has
     * registered, the scheduler knows no {@code word-count} handler and refuses the task: it is
     * tried again until then.
     */
    @EventListener(ApplicationReadyEvent.class)
    void countOnce() {
        taskwire.reactive().submitAndAwait(TaskRequest.of("word-count", new WordCounts.Text("to be or not to be")), WAIT)
                .retryWhen(Retry.backoff(10, Duration.ofMillis(200)).filter(UnknownTaskTypeException.class::isInstance))
                .toFuture()
                .whenComplete((done, failed) -> {
                    if (failed != null) {
                        log.warn("The start-up word-count task failed: {}", failed.getMessage());
                    } else {
                        log.info("The start-up word-count task {} ran on worker {}: {}", done.status(), done.workerId(),
                                taskwire.output(done, WordCounts.WordCount.class));
                    }
                });
    }
}
