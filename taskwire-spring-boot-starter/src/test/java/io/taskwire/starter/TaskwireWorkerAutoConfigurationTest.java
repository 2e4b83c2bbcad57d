package io.taskwire.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskwire.messages.WorkerHello;
import io.taskwire.starter.worker.TaskwireWorkerAutoConfiguration;
import io.taskwire.transport.TransportAutoConfiguration;
import io.taskwire.worker.execution.TaskHandlers;
import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskHandler;
import io.taskwire.worker.handler.TaskwireHandler;
import io.github.resilience4j.springboot3.retry.autoconfigure.RetryAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.rsocket.RSocketMessagingAutoConfiguration;
import org.springframework.boot.autoconfigure.rsocket.RSocketRequesterAutoConfiguration;
import org.springframework.boot.autoconfigure.rsocket.RSocketStrategiesAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TaskwireWorkerAutoConfigurationTest {

    /** The worker's context up to the dial: it is not started, so it dials nothing. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> new StarterDefaults().postProcessEnvironment(context.getEnvironment(),
                    new org.springframework.boot.SpringApplication()))
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TransportAutoConfiguration.class,
                    RSocketStrategiesAutoConfiguration.class, RSocketMessagingAutoConfiguration.class,
                    RSocketRequesterAutoConfiguration.class, SslAutoConfiguration.class, RetryAutoConfiguration.class,
                    TaskwireWorkerAutoConfiguration.class))
            .withPropertyValues("taskwire.worker.id=w-test", "taskwire.worker.token=t");

    record Resize(String image, int width) {
    }

    record Resized(String image, int width, String by) {
    }

    static class Images {
        @TaskwireHandler("resize-image")
        Resized resize(Resize request, TaskContext context) {
            return new Resized(request.image(), request.width(), context.taskId());
        }
    }

    static class Reports implements TaskHandler {
        @Override
        public String type() {
            return "report";
        }

        @Override
        public JsonNode execute(JsonNode payload, TaskContext context) {
            return payload;
        }
    }

    static class SecondResize {
        @TaskwireHandler("resize-image")
        void again(Resize request) {
        }
    }

    static class TwoPayloads {
        @TaskwireHandler("two")
        void two(Resize first, Resize second) {
        }
    }

    @Test
    void withoutTheSwitchTheApplicationIsNoWorker() {
        runner.withBean(Images.class).run(context -> assertThat(context).doesNotHaveBean(TaskHandlers.class));
    }

    @Test
    void handlerBeansAndAnnotatedMethodsAreAdvertisedTogether() {
        runner.withPropertyValues("taskwire.worker.enabled=true").withBean(Images.class).withBean(Reports.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TaskHandlers.class).types()).containsExactly("report", "resize-image");
                    assertThat(context.getBean(WorkerHello.class).taskTypes()).containsExactly("report", "resize-image");
                    assertThat(context.getBean(WorkerHello.class).workerId()).isEqualTo("w-test");
                });
    }

    @Test
    void anAnnotatedMethodReadsItsPayloadAndWritesItsOutputWithTheApplicationsMapper() throws Exception {
        runner.withPropertyValues("taskwire.worker.enabled=true").withBean(Images.class).run(context -> {
            TaskHandler handler = context.getBeansOfType(TaskHandler.class).values().stream()
                    .filter(candidate -> candidate.type().equals("resize-image")).findFirst().orElseThrow();
            JsonNode payload = JsonNodeFactory.instance.objectNode().put("image", "cat.png").put("width", 640);

            JsonNode output = handler.execute(payload, new TaskContext("t-1", 1, java.time.Instant.now().plusSeconds(5)));

            assertThat(output.get("image").asText()).isEqualTo("cat.png");
            assertThat(output.get("width").asInt()).isEqualTo(640);
            assertThat(output.get("by").asText()).isEqualTo("t-1");
            JsonNode wrong = JsonNodeFactory.instance.objectNode().put("width", "wide");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.execute(wrong, null))
                    .as("a payload the handler cannot read fails for good").isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("resize-image");
        });
    }

    @Test
    void twoHandlersOfOneTypeStopTheStart() {
        runner.withPropertyValues("taskwire.worker.enabled=true").withBean(Images.class).withBean(SecondResize.class)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("two handlers for task type 'resize-image'"));
    }

    @Test
    void aMethodWithTwoPayloadsStopsTheStartNamingIt() {
        runner.withPropertyValues("taskwire.worker.enabled=true").withBean(TwoPayloads.class)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("TwoPayloads.two").hasMessageContaining("more than one payload"));
    }
}
