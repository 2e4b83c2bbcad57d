package io.taskwire.worker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A Taskwire worker: dials the scheduler, registers its task handlers, and runs the tasks the
 * scheduler sends back over that same connection. It opens no port for tasks. The worker itself is
 * the Spring Boot starter's ({@code taskwire.worker.enabled=true} in {@code worker.yml}); this
 * application adds the built-in {@code echo} and {@code sleep} handlers and an actuator port.
 */
@SpringBootApplication(excludeName = {
        // The worker has no Spring Security: it serves no API, its actuator port is public by design
        // (health, info, prometheus), and the scheduler authenticates it. Where the scheduler's jars
        // share its classpath (the integration tests), Spring Security's auto-configuration stays off.
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.rsocket.RSocketSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration",
        // nor a database: the scheduler's store drivers and Flyway on a shared classpath stay unused
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration"})
public class WorkerApplication {

    /** Packaged configuration file ({@code worker.yml}); {@code application.yml} overrides it. */
    public static final String CONFIG_NAME = "worker,application";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** @return a builder with the worker's configuration name set; tests start workers this way too */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WorkerApplication.class).properties("spring.config.name=" + CONFIG_NAME);
    }
}
