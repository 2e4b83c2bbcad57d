package io.taskwire.scheduler.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.taskwire.messages.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/**
 * How the console's pages write times, durations and JSON ({@code ${@consoleFormat...}} in the
 * templates): times in UTC to the millisecond, durations in the unit that reads best, JSON indented
 * and cut at 64 KiB so that a large payload does not make a page of megabytes.
 */
@Component("consoleFormat")
public class ConsoleFormat {

    static final int MAX_JSON = 64 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** @return the instant in UTC, or a dash for none */
    public String time(Instant instant) {
        return instant == null ? "—" : TIME.format(instant);
    }

    /** @return how long from start to end, or a dash while either is missing */
    public String took(Instant start, Instant end) {
        if (start == null || end == null) {
            return "—";
        }
        Duration took = Duration.between(start, end);
        if (took.compareTo(Duration.ofSeconds(1)) < 0) {
            return took.toMillis() + " ms";
        }
        if (took.compareTo(Duration.ofMinutes(2)) < 0) {
            return String.format("%.1f s", took.toMillis() / 1000.0);
        }
        return took.toMinutes() + " min " + took.toSecondsPart() + " s";
    }

    /** @return the value as JSON, indented, cut at {@value #MAX_JSON} characters; empty for none */
    public String json(Object value) {
        if (value == null) {
            return "";
        }
        String text;
        try {
            text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException unwritable) {
            text = String.valueOf(value);
        }
        return text.length() <= MAX_JSON ? text
                : text.substring(0, MAX_JSON) + "\n… (" + text.length() + " characters in all)";
    }
}
