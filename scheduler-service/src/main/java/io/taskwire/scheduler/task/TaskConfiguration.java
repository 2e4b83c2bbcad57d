package io.taskwire.scheduler.task;

import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the task ledger over the in-memory store. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TaskProperties.class)
class TaskConfiguration {

    @Bean
    TaskStore taskStore(TaskProperties properties, Clock clock) {
        return new InMemoryTaskStore(properties, clock);
    }

    @Bean
    TaskLedger taskLedger(TaskStore store, TaskProperties properties, Clock clock, List<TaskObserver> observers) {
        return new TaskLedger(store, new TaskEvents(properties.watchBuffer(), properties.maxWatchers()), properties, clock, observers);
    }
}
