package io.taskwire.bench.mvc;

import io.taskwire.messages.Json;
import io.taskwire.messages.Outcome;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.messages.TaskCancel;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP baseline: how HTTP-based schedulers dispatch, a Spring MVC JSON endpoint on Tomcat that
 * takes the same {@code TaskAssignment} and answers the same {@code TaskResult} as the echo handler.
 */
@SpringBootApplication(excludeName = {
        // the scheduler's jars share the benchmark's classpath: the baseline stays a bare MVC endpoint
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.rsocket.RSocketSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration"})
@RestController
public class MvcEchoApplication {

    /** Where it listens. */
    public static final String PATH = "/task/execute";

    /** Where it takes one-way messages. */
    public static final String CANCEL_PATH = "/task/cancel";

    private final AtomicLong cancels = new AtomicLong();

    /** Starts it on a random port with nothing else switched on. */
    public static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MvcEchoApplication.class)
                .properties("spring.config.name=bench-mvc")
                .run("--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=ERROR",
                        "--management.endpoints.enabled-by-default=false",
                        "--server.tomcat.threads.max=200", "--server.tomcat.max-keep-alive-requests=-1");
    }

    @PostMapping(PATH)
    TaskResult execute(@RequestBody TaskAssignment assignment) {
        Instant now = Instant.now();
        return new TaskResult(assignment.taskId(), assignment.attempt(), "mvc-1", assignment.fence(),
                Outcome.SUCCEEDED, assignment.payload(), null, now, now);
    }

    @PostMapping(CANCEL_PATH)
    @ResponseStatus(HttpStatus.ACCEPTED)
    void cancel(@RequestBody TaskCancel cancel) {
        cancels.incrementAndGet();
    }

    /** @return one-way messages handled so far */
    public long cancelsReceived() {
        return cancels.get();
    }

    /** The protocol's Jackson settings, as the other candidates use. */
    @Bean
    MappingJackson2HttpMessageConverter jsonConverter() {
        return new MappingJackson2HttpMessageConverter(Json.mapper());
    }
}
