package io.taskwire.worker.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** For {@link WorkerTest}: sets {@code taskwire.worker.scheduler.port} to the port of the test class's fake. */
final class WorkerDialsFakeScheduler implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        return new Dialling(schedulerOf(testClass));
    }

    private static FakeScheduler schedulerOf(Class<?> testClass) {
        List<Field> fields = Arrays.stream(testClass.getDeclaredFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == FakeScheduler.class)
                .toList();
        if (fields.size() != 1 || !fields.get(0).isAnnotationPresent(RegisterExtension.class)) {
            throw new IllegalStateException(testClass.getName()
                    + " must hold one static FakeScheduler field, annotated with @RegisterExtension");
        }
        try {
            Field field = fields.get(0);
            field.setAccessible(true);
            return (FakeScheduler) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the FakeScheduler of " + testClass.getName(), e);
        }
    }

    /** Equal for the same fake, so that the test methods of one class share its context. */
    private record Dialling(FakeScheduler scheduler) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("fake scheduler",
                    Map.of("taskwire.worker.scheduler.port", scheduler.port())));
        }
    }
}
