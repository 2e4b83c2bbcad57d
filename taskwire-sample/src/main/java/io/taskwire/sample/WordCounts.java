package io.taskwire.sample;

import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskwireHandler;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The application's own task handler: counts the words of a text. */
@Component
public class WordCounts {

    /** The payload: the text to count. */
    public record Text(String text) {
    }

    /** The output: words in all, and how often each occurs. */
    public record WordCount(int words, Map<String, Long> counts, String countedBy) {
    }

    @TaskwireHandler("word-count")
    WordCount count(Text text, TaskContext context) {
        if (text.text() == null) {
            throw new IllegalArgumentException("word-count takes {\"text\": \"...\"}");
        }
        String[] words = Arrays.stream(text.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(word -> !word.isEmpty()).toArray(String[]::new);
        Map<String, Long> counts = Arrays.stream(words)
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        return new WordCount(words.length, counts, "task " + context.taskId() + ", attempt " + context.attempt());
    }
}
