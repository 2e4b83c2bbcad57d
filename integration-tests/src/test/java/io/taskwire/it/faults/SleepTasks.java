package io.taskwire.it.faults;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskSpec;
import java.util.Collections;
import java.util.List;

/** Specs of the worker's built-in {@code sleep} task, the load of every fault test. */
final class SleepTasks {

    static final String TYPE = "sleep";

    private SleepTasks() {
    }

    /** A sleep of the given length, anywhere. */
    static TaskSpec sleep(long ms) {
        return TaskSpec.of(TYPE, JsonNodeFactory.instance.objectNode().put("ms", ms));
    }

    /** The same sleep, {@code count} times. */
    static List<TaskSpec> sleeps(int count, long ms) {
        return Collections.nCopies(count, sleep(ms));
    }

    /** A sleep that only the named worker may run. */
    static TaskSpec pinned(long ms, String workerId) {
        return new TaskSpec(TYPE, JsonNodeFactory.instance.objectNode().put("ms", ms), null, null, null, null, null,
                new Routing(RoutingStrategy.PINNED, workerId, null));
    }
}
