package io.taskwire.bench.cluster;

import io.taskwire.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Where a benchmark's scheduler keeps its tasks, and the settings that say so. */
public enum Store {

    /** Nothing kept: the in-memory mode. */
    MEMORY("in memory"),
    /** The packaged default (its URL and options): an H2 file database, in a folder of its own, deleted at exit. */
    H2("H2"),
    /**
     * A database of its own on one PostgreSQL server for the run, as PostgreSQL ships ({@code fsync}
     * and {@code synchronous_commit} on), on the same cores.
     */
    POSTGRESQL("PostgreSQL");

    private final String label;

    Store(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean durable() {
        return this != MEMORY;
    }

    /** @return the scheduler's settings for this store; {@code name} tells its files apart */
    public List<String> schedulerSettings(String name) {
        String inMemory = "--" + SchedulerProcess.STORE_IN_MEMORY + "=";
        return switch (this) {
            case MEMORY -> List.of(inMemory + "true");
            case H2 -> List.of(inMemory + "false",
                    "--taskwire.scheduler.store.h2-directory=" + h2Folder().resolve(name));
            case POSTGRESQL -> {
                List<String> settings = new ArrayList<>(List.of(inMemory + "false"));
                settings.addAll(PostgresServer.shared().newDatabase().schedulerArguments());
                yield settings;
            }
        };
    }

    /**
     * @return CPU time the database server's processes (PostgreSQL's postmaster and backends) have used
     *         so far; zero for the stores inside the scheduler's JVM
     */
    public Duration serverCpu() {
        if (this != POSTGRESQL) {
            return Duration.ZERO;
        }
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
                .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private static Path h2;

    private static synchronized Path h2Folder() {
        if (h2 == null) {
            try {
                h2 = Files.createTempDirectory("taskwire-bench-h2");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path folder = h2;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> files = Files.walk(folder)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return h2;
    }
}
