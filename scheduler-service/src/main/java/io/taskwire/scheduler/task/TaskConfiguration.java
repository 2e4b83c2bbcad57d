package io.taskwire.scheduler.task;

import io.taskwire.scheduler.store.StoreProperties;
import io.taskwire.scheduler.store.TaskStore;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the task ledger over the task store. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TaskProperties.class)
class TaskConfiguration {

    @Bean
    TaskLedger taskLedger(TaskStore store, TaskProperties properties, StoreProperties storeProperties, Clock clock,
                          List<TaskObserver> observers) {
        return new TaskLedger(store, new TaskEvents(properties.watchBuffer(), properties.maxWatchers()), properties,
                clock, observers, storeProperties.rewriteInterval());
    }
}
