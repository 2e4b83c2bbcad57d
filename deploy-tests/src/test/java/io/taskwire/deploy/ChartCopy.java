package io.taskwire.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A copy of the chart in a temporary directory, for what helm-java cannot pass as values. */
final class ChartCopy {

    private ChartCopy() {
    }

    static Path of(Path target) {
        try (Stream<Path> files = Files.walk(TaskwireChart.DIR)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(TaskwireChart.DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void edit(Path chart, String file, UnaryOperator<String> change) {
        Path path = chart.resolve(file);
        try {
            String before = Files.readString(path);
            String after = change.apply(before);
            if (after.equals(before)) {
                throw new IllegalStateException("the edit changed nothing in " + file);
            }
            Files.writeString(path, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
