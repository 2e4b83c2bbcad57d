package io.taskwire.bench.endtoend;

import io.taskwire.messages.Encoding;
import java.util.List;

/**
 * One way of moving tasks end to end: how many go in one submission and one dispatch, and how
 * batches are encoded.
 *
 * @param name shown in the tables
 * @param batchSize tasks per {@code task.submit.batch} and the scheduler's
 *        {@code taskwire.scheduler.dispatch.batch.size}; 1 means {@code task.submit} and {@code task.execute} per task
 * @param encoding the scheduler's {@code taskwire.scheduler.dispatch.batch.encoding}
 */
record Variant(String name, int batchSize, Encoding encoding) {

    static final List<Variant> ALL = List.of(
            new Variant("per task", 1, Encoding.IDENTITY),
            new Variant("batches of 100, identity", 100, Encoding.IDENTITY),
            new Variant("batches of 100, zstd", 100, Encoding.ZSTD),
            new Variant("batches of 1,000, identity", 1_000, Encoding.IDENTITY),
            new Variant("batches of 1,000, zstd", 1_000, Encoding.ZSTD));

    boolean perTask() {
        return batchSize == 1;
    }

    /** @return the scheduler's settings for this variant */
    List<String> schedulerSettings() {
        return List.of("--taskwire.scheduler.dispatch.batch.size=" + batchSize,
                "--taskwire.scheduler.dispatch.batch.encoding=" + encoding.name().toLowerCase(java.util.Locale.ROOT));
    }
}
