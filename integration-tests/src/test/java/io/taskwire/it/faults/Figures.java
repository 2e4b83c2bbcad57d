package io.taskwire.it.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures a fault test measured, one line per test appended to
 * {@code target/reliability-figures.txt} with the date and the machine's cores, and printed.
 */
final class Figures {

    private Figures() {
    }

    /** @param figures names and values, in the order to write them */
    static void record(String test, Map<String, ?> figures) throws IOException {
        String line = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " cores="
                + Runtime.getRuntime().availableProcessors() + " " + test + " "
                + figures.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                        .collect(Collectors.joining(" "));
        Path file = Path.of(System.getProperty("basedir", "."), "target", "reliability-figures.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("[reliability] " + line);
    }
}
