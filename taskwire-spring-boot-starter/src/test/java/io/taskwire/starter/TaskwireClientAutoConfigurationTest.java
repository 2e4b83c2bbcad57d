package io.taskwire.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskwire.client.TaskwireClient;
import io.taskwire.starter.client.TaskwireClientAutoConfiguration;
import io.taskwire.starter.client.TaskwireClientHealth;
import io.taskwire.transport.TransportAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TaskwireClientAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TransportAutoConfiguration.class,
                    TaskwireClientAutoConfiguration.class));

    @Test
    void withoutTheSwitchThereIsNoClient() {
        runner.withPropertyValues("taskwire.client.addresses=localhost:7000")
                .run(context -> assertThat(context).doesNotHaveBean(TaskwireClient.class));
    }

    @Test
    void theSwitchAndAnAddressGiveAClientAndItsHealthWithoutDialing() {
        runner.withPropertyValues("taskwire.client.enabled=true", "taskwire.client.addresses=127.0.0.1:1,127.0.0.1:2",
                        "taskwire.client.token=t", "taskwire.client.request-timeout=2s")
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskwireClient.class);
                    assertThat(context.getBean(TaskwireClient.class).connectedTo()).isEmpty();
                    assertThat(context.getBean(TaskwireClientHealth.class).health().getStatus()).isEqualTo(Status.UNKNOWN);
                    assertThat(context).getBean("taskwireClientHealthIndicator").isNotNull();
                });
    }

    @Test
    void anApplicationsOwnClientBeanWins() {
        runner.withPropertyValues("taskwire.client.enabled=true", "taskwire.client.addresses=localhost:7000")
                .withBean("mine", TaskwireClient.class, () -> TaskwireClient.builder().addresses("elsewhere:7000").build())
                .run(context -> assertThat(context).hasSingleBean(TaskwireClient.class).hasBean("mine"));
    }

    @Test
    void enabledWithoutAddressesStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("taskwire.client.enabled=true")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("taskwire.client.addresses"));
    }

    @Test
    void tlsWithoutABundleStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("taskwire.client.enabled=true", "taskwire.client.addresses=localhost:7000",
                        "taskwire.client.tls.enabled=true")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("taskwire.client.tls.bundle"));
    }

    @Test
    void theApplicationsObjectMapperKeepsItsOwnRulesUnlessTheSchedulerAsksForTheProtocols() {
        String lenient = "{\"n\": \"8\"}";
        runner.withPropertyValues("taskwire.transport.json.spring-mapper=false").run(context ->
                assertThat(context.getBean(ObjectMapper.class).readValue(lenient, Numbered.class).n()).isEqualTo(8));
        runner.run(context -> assertThat(context).getBean(ObjectMapper.class).satisfies(mapper ->
                assertThat(readOrNull(mapper, lenient)).as("the protocol's JSON refuses \"8\" for 8").isNull()));
    }

    record Numbered(int n) {
    }

    private static Numbered readOrNull(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, Numbered.class);
        } catch (Exception refused) {
            return null;
        }
    }

    @Test
    void theStartersDefaultsGiveWayKeyByKey() {
        org.springframework.core.env.StandardEnvironment environment = new org.springframework.core.env.StandardEnvironment();
        environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("application",
                Map.of("taskwire.worker.enabled", "true", "resilience4j.retry.configs.connection.wait-duration", "1s")));

        new StarterDefaults().postProcessEnvironment(environment, new org.springframework.boot.SpringApplication());

        assertThat(environment.getProperty("resilience4j.retry.configs.connection.wait-duration")).isEqualTo("1s");
        assertThat(environment.getProperty("resilience4j.retry.configs.connection.max-attempts")).isEqualTo("2147483647");
        assertThat(environment.getProperty("resilience4j.retry.configs.delivery.max-attempts")).isEqualTo("5");
        assertThat(environment.getProperty("taskwire.transport.json.spring-mapper")).isEqualTo("false");
    }
}
