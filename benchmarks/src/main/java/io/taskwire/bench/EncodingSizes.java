package io.taskwire.bench;

import io.taskwire.messages.Encoding;
import io.taskwire.messages.Json;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskBatch;
import io.taskwire.messages.TaskBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Comparison 4: bytes on the wire per task for each encoding and batch size (deterministic). */
final class EncodingSizes {

    private static final int[] BATCH_SIZES = {1, 100, 1_000};
    private static final int ROUNDS = 20;

    private EncodingSizes() {
    }

    static void print() {
        System.out.println("## 4. Bytes on the wire per task (data of the request, JSON, without RSocket framing)\n");
        int single = bytes(Payloads.assignment());
        System.out.printf("One `task.execute` (a bare `TaskAssignment`): %d bytes per task.%n%n", single);
        System.out.println("| tasks per batch | encoding | bytes per task | vs identity | vs one `task.execute` | encode + decode, µs per task |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | ---: |");
        for (int size : BATCH_SIZES) {
            List<TaskAssignment> tasks = tasks(size);
            double identity = 0;
            for (Encoding encoding : Encoding.values()) {
                double perTask = (double) bytes(TaskBatches.encode(tasks, encoding)) / size;
                if (encoding == Encoding.IDENTITY) {
                    identity = perTask;
                }
                System.out.printf("| %,d | %s | %.1f | %.2f | %.2f | %.2f |%n", size, encoding.name().toLowerCase(),
                        perTask, perTask / identity, perTask / single, microsPerTask(tasks, encoding));
            }
        }
        System.out.println();
    }

    private static double microsPerTask(List<TaskAssignment> tasks, Encoding encoding) {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            TaskBatch batch = TaskBatches.encode(tasks, encoding);
            TaskBatches.decode(Json.read(Json.write(batch).getBytes(StandardCharsets.UTF_8), TaskBatch.class),
                    Integer.MAX_VALUE);
            best = Math.min(best, System.nanoTime() - start);
        }
        return best / 1_000.0 / tasks.size();
    }

    private static List<TaskAssignment> tasks(int count) {
        List<TaskAssignment> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(Payloads.assignment());
        }
        return tasks;
    }

    private static int bytes(Object message) {
        return Json.write(message).getBytes(StandardCharsets.UTF_8).length;
    }
}
