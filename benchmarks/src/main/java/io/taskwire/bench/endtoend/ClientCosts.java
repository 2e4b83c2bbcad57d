package io.taskwire.bench.endtoend;

import io.taskwire.bench.cluster.SchedulerClient;
import io.taskwire.client.TaskwireClient;
import io.taskwire.client.error.NotFoundException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The client's hidden costs: bytes this JVM allocates (summed over its live threads, the client's
 * network threads included), and the heap one idle connection holds.
 */
final class ClientCosts {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    static final int IDLE_CONNECTIONS = 200;

    private ClientCosts() {
    }

    /** @return bytes allocated so far by this JVM's live threads */
    static long allocatedBytes() {
        return Arrays.stream(THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())).filter(bytes -> bytes > 0).sum();
    }

    /**
     * @param rsocketPort a scheduler's RSocket port
     * @param token its client token
     * @return heap held per idle connection, in bytes: by {@code taskwire-client}, then by the bare client
     */
    static double[] heapPerIdleConnection(int rsocketPort, String token) {
        double library = heldPer(() -> {
            TaskwireClient client = TaskwireClient.builder().addresses("localhost:" + rsocketPort).token(token).build();
            try {
                client.get("no-such-task");
            } catch (NotFoundException expected) {
                // the connection is up and accepted: the scheduler answered
            }
            return client;
        });
        double bare = heldPer(() -> SchedulerClient.connect(rsocketPort, token));
        return new double[] {library, bare};
    }

    private static double heldPer(Supplier<AutoCloseable> connect) {
        long before = settledHeap();
        List<AutoCloseable> held = new ArrayList<>(IDLE_CONNECTIONS);
        for (int i = 0; i < IDLE_CONNECTIONS; i++) {
            held.add(connect.get());
        }
        long after = settledHeap();
        for (AutoCloseable connection : held) {
            try {
                connection.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return (after - before) / (double) IDLE_CONNECTIONS;
    }

    private static long settledHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
