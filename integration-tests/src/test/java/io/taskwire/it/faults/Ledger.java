package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskwire.messages.Routes;
import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskEvent;
import io.taskwire.messages.TaskRef;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.rsocket.RSocketRequester;
import reactor.core.Disposable;

/**
 * What a client watching one task type saw: every {@link TaskEvent} from {@code task.watch}, with the
 * moment it arrived. The tasks a test submits go through it, so that at the end it can tell that
 * each ended exactly once (no final state recorded twice, none lost) and that the scheduler agrees.
 */
final class Ledger implements AutoCloseable {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** Nothing can run this, so a probe stays PENDING until the ledger aborts it. */
    private static final String NOBODY = "ledger-probe-no-such-worker";

    private final RSocketRequester client;
    private final String type;
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private final Set<String> probes = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Throwable> streamFailure = new AtomicReference<>();
    private final Disposable watch;

    private Ledger(RSocketRequester client, String type) {
        this.client = client;
        this.type = type;
        this.watch = client.route(Routes.TASK_WATCH).data(new WatchFilter(null, type))
                .retrieveFlux(TaskEvent.class)
                .subscribe(event -> seen.add(new Seen(event, System.nanoTime())), streamFailure::set);
    }

    /** Starts watching the type and returns once the watch is known to be live. */
    static Ledger open(RSocketRequester client, String type) {
        Ledger ledger = new Ledger(client, type);
        ledger.awaitLive();
        return ledger;
    }

    /** Submits tasks in one batch and tracks them. */
    List<TaskView> submitAll(List<TaskSpec> specs) {
        List<TaskView> accepted = client.route(Routes.TASK_SUBMIT_BATCH).data(specs)
                .retrieveMono(new ParameterizedTypeReference<List<TaskView>>() { })
                .block(LIMIT);
        assertThat(accepted).hasSameSizeAs(specs);
        accepted.forEach(view -> submitted.add(view.taskId()));
        return accepted;
    }

    /** Submits one task and tracks it. */
    TaskView submit(TaskSpec spec) {
        TaskView accepted = client.route(Routes.TASK_SUBMIT).data(spec).retrieveMono(TaskView.class).block(LIMIT);
        submitted.add(accepted.taskId());
        return accepted;
    }

    /** @return every event of the tracked tasks, in arrival order */
    List<Seen> events() {
        return seen.stream().filter(entry -> submitted.contains(entry.event().taskId())).toList();
    }

    /** @return the final events seen so far, by task */
    Map<String, TaskEvent> finished() {
        return events().stream().map(Seen::event).filter(event -> event.status().isFinal())
                .collect(Collectors.toMap(TaskEvent::taskId, Function.identity(), (first, second) -> first));
    }

    /** Waits until every tracked task has had a final event. */
    void awaitAllFinal(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(unfinished()).as("tasks without a final event (%s)", summary()).isEmpty());
    }

    /**
     * Every tracked task had exactly one final event, as its last event, and {@code task.get} reports
     * the same final state; the watch never failed and saw no task nobody submitted.
     *
     * @return each task's final event
     */
    Map<String, TaskEvent> assertEveryTaskEndedOnce() {
        assertThat(streamFailure.get()).as("the watch stream failed").isNull();
        Map<String, List<TaskEvent>> byTask = new LinkedHashMap<>();
        for (Seen entry : seen) {
            String id = entry.event().taskId();
            if (!probes.contains(id)) {
                byTask.computeIfAbsent(id, key -> new ArrayList<>()).add(entry.event());
            }
        }
        assertThat(byTask.keySet()).as("tasks seen on the watch").isEqualTo(submitted);
        Map<String, List<TaskEvent>> endedTwice = new TreeMap<>();
        Map<String, List<TaskEvent>> notEndedLast = new TreeMap<>();
        byTask.forEach((id, events) -> {
            if (events.stream().filter(event -> event.status().isFinal()).count() > 1) {
                endedTwice.put(id, events);
            }
            if (!events.get(events.size() - 1).status().isFinal()) {
                notEndedLast.put(id, events);
            }
        });
        assertThat(endedTwice).as("tasks recorded as ended more than once").isEmpty();
        assertThat(notEndedLast).as("tasks whose last event is not final (lost, or changed after ending)").isEmpty();
        Map<String, TaskEvent> finals = finished();
        finals.values().forEach(event -> assertThat(get(event.taskId()))
                .as("the scheduler's view of task %s", event.taskId())
                .satisfies(view -> {
                    assertThat(view.status()).isEqualTo(event.status());
                    assertThat(view.attempt()).isEqualTo(event.attempt());
                    assertThat(view.workerId()).isEqualTo(event.workerId());
                }));
        return finals;
    }

    /** @return the final statuses of the tracked tasks, counted, for reports */
    String summary() {
        Map<TaskStatus, Long> counts = new TreeMap<>(finished().values().stream()
                .collect(Collectors.groupingBy(TaskEvent::status, Collectors.counting())));
        return submitted.size() + " " + type + " tasks, final: " + counts + ", unfinished: " + unfinished().size();
    }

    /** @return the scheduler's view of a task now ({@code task.get}) */
    TaskView get(String taskId) {
        return client.route(Routes.TASK_GET).data(new TaskRef(taskId)).retrieveMono(TaskView.class).block(LIMIT);
    }

    @Override
    public void close() {
        watch.dispose();
    }

    private Set<String> unfinished() {
        Set<String> open = new TreeSet<>(submitted);
        open.removeAll(finished().keySet());
        return open;
    }

    /**
     * A watch has no acknowledgement: it is live once it shows a task submitted after it. The probe
     * can run nowhere, and is aborted once seen.
     */
    private void awaitLive() {
        for (int tries = 0; tries < 5; tries++) {
            TaskSpec nowhere = new TaskSpec(type, JsonNodeFactory.instance.objectNode(), null, null, null, null, null,
                    new Routing(RoutingStrategy.PINNED, NOBODY, null));
            TaskView probe = client.route(Routes.TASK_SUBMIT).data(nowhere)
                    .retrieveMono(TaskView.class).block(LIMIT);
            probes.add(probe.taskId());
            try {
                await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                        .until(() -> seen.stream().anyMatch(entry -> entry.event().taskId().equals(probe.taskId())));
                probes.forEach(id -> client.route(Routes.TASK_ABORT).data(new TaskRef(id))
                        .retrieveMono(TaskView.class).block(LIMIT));
                return;
            } catch (ConditionTimeoutException notYet) {
                // the watch was not registered yet when this probe was submitted: try another
            }
        }
        throw new AssertionError("task.watch for type " + type + " showed none of 5 probe tasks");
    }

    /**
     * One event and when it arrived.
     *
     * @param event the event
     * @param atNanos its arrival on {@link System#nanoTime()}
     */
    record Seen(TaskEvent event, long atNanos) {
    }
}
