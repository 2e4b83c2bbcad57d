package io.taskwire.it;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.web.client.RestTemplate;

/** Reads one scrape of {@code /actuator/prometheus} and sums the samples a test asks about. */
final class Prometheus {

    private static final RestTemplate http = new RestTemplate();

    private final String text;

    private Prometheus(String text) {
        this.text = text;
    }

    static Prometheus scrape(int managementPort) {
        return new Prometheus(http.getForObject("http://localhost:" + managementPort + "/actuator/prometheus",
                String.class));
    }

    /**
     * @param metric the sample name, e.g. {@code taskwire_rsocket_requests_seconds_count}
     * @param labels labels every counted sample must carry with these values
     * @return the sum of the matching samples (0 when none)
     */
    double sum(String metric, Map<String, String> labels) {
        return text.lines()
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .filter(line -> carries(labels).test(line))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    boolean has(String metric) {
        return text.lines().anyMatch(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "));
    }

    private static Predicate<String> carries(Map<String, String> wanted) {
        return line -> {
            Map<String, String> labels = labels(line);
            return wanted.entrySet().stream().allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
        };
    }

    private static Map<String, String> labels(String line) {
        Map<String, String> labels = new HashMap<>();
        int open = line.indexOf('{');
        int close = line.lastIndexOf('}');
        if (open < 0 || close < open) {
            return labels;
        }
        for (String pair : line.substring(open + 1, close).split("\",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                labels.put(pair.substring(0, equals), pair.substring(equals + 2).replace("\"", ""));
            }
        }
        return labels;
    }
}
