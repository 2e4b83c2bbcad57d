package io.taskwire.bench.endtoend;

import io.taskwire.bench.cluster.Store;
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
 * @param store where the scheduler keeps its tasks
 * @param standby whether a second scheduler stands by on the same store while the first leads
 * @param library whether submissions go through {@code taskwire-client} rather than the bare
 *        rsocket-java client a client in another language would write
 */
record Variant(String name, int batchSize, Encoding encoding, Store store, boolean standby, boolean library) {

    static final Variant PER_TASK = new Variant("per task", 1, Encoding.IDENTITY, Store.MEMORY, false, false);
    static final Variant BATCHES_OF_100 = new Variant("batches of 100, identity", 100, Encoding.IDENTITY, Store.MEMORY,
            false, false);

    /**
     * The in-memory variants, with identity and zstd side by side, then the durable ones, then one
     * with a standby, then the two submitting through {@code taskwire-client}.
     */
    static final List<Variant> ALL = List.of(
            PER_TASK,
            BATCHES_OF_100,
            new Variant("batches of 100, zstd", 100, Encoding.ZSTD, Store.MEMORY, false, false),
            new Variant("batches of 1,000, identity", 1_000, Encoding.IDENTITY, Store.MEMORY, false, false),
            new Variant("batches of 1,000, zstd", 1_000, Encoding.ZSTD, Store.MEMORY, false, false),
            new Variant("per task, H2", 1, Encoding.IDENTITY, Store.H2, false, false),
            new Variant("batches of 100, H2", 100, Encoding.IDENTITY, Store.H2, false, false),
            new Variant("per task, PostgreSQL", 1, Encoding.IDENTITY, Store.POSTGRESQL, false, false),
            new Variant("batches of 100, PostgreSQL", 100, Encoding.IDENTITY, Store.POSTGRESQL, false, false),
            new Variant("batches of 100, PostgreSQL, a standby beside", 100, Encoding.IDENTITY, Store.POSTGRESQL, true,
                    false),
            new Variant("per task, taskwire-client", 1, Encoding.IDENTITY, Store.MEMORY, false, true),
            new Variant("batches of 100, taskwire-client", 100, Encoding.IDENTITY, Store.MEMORY, false, true));

    /** @return the in-memory variant this durable one is compared with */
    Variant inMemory() {
        return perTask() ? PER_TASK : BATCHES_OF_100;
    }

    /**
     * @return the same variant with its scheduler alone on the store and the bare rsocket-java client:
     *         what one with a standby, or one through {@code taskwire-client}, is compared with
     */
    Variant alone() {
        return ALL.stream().filter(other -> !other.standby && !other.library && other.batchSize == batchSize
                && other.encoding == encoding && other.store == store).findFirst().orElseThrow();
    }

    boolean perTask() {
        return batchSize == 1;
    }

    /** @return the scheduler's settings for this variant; {@code name} tells its store's files apart */
    List<String> schedulerSettings(String name) {
        List<String> settings = new java.util.ArrayList<>(List.of("--taskwire.scheduler.dispatch.batch.size=" + batchSize,
                "--taskwire.scheduler.dispatch.batch.encoding=" + encoding.name().toLowerCase(java.util.Locale.ROOT)));
        settings.addAll(store.schedulerSettings(name));
        return settings;
    }
}
