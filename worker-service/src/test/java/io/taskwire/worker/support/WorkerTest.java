package io.taskwire.worker.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.TestPropertySource;

/**
 * The worker application on a random HTTP port, dialling the {@link FakeScheduler} its test class holds
 * in a static field registered with {@code @RegisterExtension} (so that it stops after the class). Each
 * class gets a context of its own, closed after it, as each fake counts what its worker sent it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = "spring.config.name=worker,application")
@ContextCustomizerFactories(WorkerDialsFakeScheduler.class)
@DirtiesContext
public @interface WorkerTest {

    /** The test class's own worker properties, as {@code key=value}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] value() default {};
}
