package io.taskwire.scheduler;

import io.taskwire.scheduler.dispatch.DispatchProperties;
import io.taskwire.scheduler.health.HealthProperties;
import io.taskwire.scheduler.heartbeat.HeartbeatProperties;
import io.taskwire.scheduler.leadership.LeadershipProperties;
import io.taskwire.scheduler.leadership.Relaunch;
import io.taskwire.scheduler.registry.RegistryProperties;
import java.time.Clock;
import java.time.ZoneOffset;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.security.rsocket.RSocketSecurityAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Taskwire scheduler: accepts tasks over HTTP and RSocket, keeps the registry of workers that
 * dialed in, and dispatches tasks to them over their own connections.
 */
// Boot's DataSource and Flyway set-up stay off: the store's configuration makes the DataSource from
// spring.datasource.* and runs the migrations itself, and only when tasks are stored (the in-memory
// mode has no database at all)
@SpringBootApplication(exclude = {RSocketSecurityAutoConfiguration.class, DataSourceAutoConfiguration.class,
        FlywayAutoConfiguration.class})
@EnableConfigurationProperties({RegistryProperties.class, HeartbeatProperties.class, DispatchProperties.class,
        HealthProperties.class, LeadershipProperties.class})
public class SchedulerApplication {

    /** Name of the packaged configuration file ({@code scheduler.yml}); {@code application.yml} overrides it. */
    public static final String CONFIG_NAME = "scheduler,application";

    /** Runs the scheduler; after a step-down from the lead it runs again, as a standby. */
    public static void main(String[] args) {
        Relaunch.run(SchedulerApplication::builder, args);
    }

    /** @return a builder with the scheduler's configuration name set; tests start the scheduler this way too */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(SchedulerApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }

    @Bean
    Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC);
    }
}
