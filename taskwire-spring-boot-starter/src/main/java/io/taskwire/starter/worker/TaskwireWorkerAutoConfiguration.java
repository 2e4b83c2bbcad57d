package io.taskwire.starter.worker;

import io.taskwire.messages.Protocol;
import io.taskwire.messages.WorkerHello;
import io.taskwire.worker.capacity.CapacityProperties;
import io.taskwire.worker.connection.ConnectionProperties;
import io.taskwire.worker.execution.ExecutionProperties;
import io.taskwire.worker.execution.HandlerMethods;
import io.taskwire.worker.execution.TaskHandlers;
import java.time.Clock;
import java.time.ZoneOffset;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.rsocket.RSocketStrategiesAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * {@code taskwire.worker.enabled=true} makes the application a Taskwire worker: it dials the
 * scheduler ({@code taskwire.worker.*}), advertises its {@code TaskHandler} beans and
 * {@code @TaskwireHandler} methods, and runs the tasks the scheduler sends back over that
 * connection, with the slots, outbox, reattachment, heartbeats, drain on SIGTERM and readiness of
 * {@code worker-service}, which is this same worker in an application of its own. Defaults of the
 * Resilience4j retries it uses come from {@link io.taskwire.starter.StarterDefaults}.
 */
@AutoConfiguration(after = {JacksonAutoConfiguration.class, RSocketStrategiesAutoConfiguration.class})
@ConditionalOnProperty(prefix = "taskwire.worker", name = "enabled", havingValue = "true")
// the worker's own packages only: not the handler SPI's, where applications may put their handlers
@ComponentScan({"io.taskwire.worker.connection", "io.taskwire.worker.capacity", "io.taskwire.worker.heartbeat",
        "io.taskwire.worker.execution", "io.taskwire.worker.delivery", "io.taskwire.worker.health"})
@ConfigurationPropertiesScan({"io.taskwire.worker.connection", "io.taskwire.worker.capacity",
        "io.taskwire.worker.execution", "io.taskwire.worker.delivery"})
public class TaskwireWorkerAutoConfiguration {

    /** What the worker tells the scheduler about itself in SETUP. */
    @Bean
    WorkerHello workerHello(ConnectionProperties connection, CapacityProperties capacity, ExecutionProperties execution,
                            TaskHandlers handlers) {
        String version = TaskHandlers.class.getPackage().getImplementationVersion();
        return new WorkerHello(Protocol.VERSION, connection.id(), connection.host(), capacity.slots(),
                handlers.types(), connection.labels(), version == null ? "dev" : version,
                execution.advertisedEncodings());
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC);
    }

    /** {@code @TaskwireHandler} methods as {@code TaskHandler} beans; static, as a bean factory post-processor must be. */
    @Bean
    static HandlerMethods taskwireHandlerMethods() {
        return new HandlerMethods();
    }
}
