package io.taskwire.messages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads facts out of {@code docs/PROTOCOL.md}, so that the code is checked against the contract's text. */
final class ProtocolDocument {

    /** Tests run in the module's folder; the contract sits at the project's root. */
    private static final Path DOCUMENT = Path.of("..", "docs", "PROTOCOL.md");
    private static final Pattern CODE = Pattern.compile("`([A-Z_]+)`");
    private static final Pattern ROUTE = Pattern.compile("`([a-z.]+)`");

    private ProtocolDocument() {
    }

    /** @return the error codes that section 2 lists after "Codes:", in their order */
    static List<String> errorCodes() {
        String text = text();
        int section = text.indexOf("## 2. Errors");
        int start = text.indexOf("Codes:", section);
        int end = text.indexOf(". ", start);
        if (section < 0 || start < 0 || end < 0) {
            throw new IllegalStateException(DOCUMENT + " has no list of codes in section 2");
        }
        List<String> codes = new ArrayList<>();
        Matcher matcher = CODE.matcher(text.substring(start, end));
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    /**
     * @return the routes of section 3's table, in its order; a row may name two routes
     *         ({@code `schedule.get` · `schedule.delete`})
     */
    static List<String> routes() {
        String text = text();
        int section = text.indexOf("## 3. Routes");
        int end = text.indexOf("## 4.", section);
        if (section < 0 || end < 0) {
            throw new IllegalStateException(DOCUMENT + " has no section 3");
        }
        List<String> routes = new ArrayList<>();
        for (String line : text.substring(section, end).lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher matcher = ROUTE.matcher(line.substring(1, line.indexOf('|', 1)));
            while (matcher.find()) {
                routes.add(matcher.group(1));
            }
        }
        return routes;
    }

    private static String text() {
        try {
            return Files.readString(DOCUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
