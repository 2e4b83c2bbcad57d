package io.taskwire.starter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The starter's defaults, added as the environment's last property sources, so that every other
 * source overrides them key by key (an application that tunes one setting of a retry keeps the rest):
 * <ul>
 *   <li>the application's own ObjectMapper is left as it is: Taskwire's RSocket codecs use the
 *       protocol's JSON settings by themselves ({@code taskwire.transport.json.spring-mapper=false});</li>
 *   <li>in a worker ({@code taskwire.worker.enabled=true}), {@code taskwire-worker-defaults.yml}: the
 *       Resilience4j retries the worker dials and delivers results with, and the graceful-shutdown
 *       phase its drain needs.</li>
 * </ul>
 */
public class StarterDefaults implements EnvironmentPostProcessor {

    static final String WORKER_DEFAULTS = "taskwire-worker-defaults.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("taskwire-starter-defaults",
                Map.of("taskwire.transport.json.spring-mapper", "false")));
        if (!environment.getProperty("taskwire.worker.enabled", Boolean.class, false)) {
            return;
        }
        try {
            for (PropertySource<?> defaults : new YamlPropertySourceLoader().load("taskwire-worker-defaults",
                    new ClassPathResource(WORKER_DEFAULTS))) {
                environment.getPropertySources().addLast(defaults);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + WORKER_DEFAULTS + " from the Taskwire starter", e);
        }
    }
}
