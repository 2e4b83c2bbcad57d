package io.taskwire.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shop's application on the Taskwire starter, in both roles ({@code application.yml}): its worker
 * runs the {@code word-count} handler in {@link WordCounts}, and {@link WordCountController} runs it
 * through the scheduler with the {@code TaskwireClient} bean.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
