package io.taskwire.it.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskwire.client.TaskRequest;
import io.taskwire.client.TaskwireClient;
import io.taskwire.it.Tokens;
import io.taskwire.it.faults.InProcessScheduler;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.starter.client.TaskwireClientHealth;
import io.taskwire.worker.handler.TaskContext;
import io.taskwire.worker.handler.TaskwireHandler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * An application of its own on the Spring Boot starter, as a user writes one: a
 * {@code @TaskwireHandler} method and the {@code TaskwireClient} bean, both roles from properties
 * alone. It submits a task with its client to a real scheduler over TCP, and its own worker runs it.
 */
class OwnApplicationTest {

    record Order(String orderId, int items) {
    }

    record Invoice(String orderId, int lines, String task) {
    }

    /** The user's code: a bean with a handler method. */
    static class Invoices {
        @TaskwireHandler("invoice")
        Invoice render(Order order, TaskContext context) {
            return new Invoice(order.orderId(), order.items(), context.taskId());
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = {
            // the scheduler's jars share this classpath: its security and database stay out of the shop
            "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.rsocket.RSocketSecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.reactive.ReactiveSecurityAutoConfiguration",
            "org.springframework.boot.autoconfigure.security.reactive.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration"})
    @Import(Invoices.class)
    static class Shop {
    }

    private InProcessScheduler scheduler;
    private ConfigurableApplicationContext shop;

    @AfterEach
    void stop() {
        if (shop != null) {
            shop.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void theApplicationsOwnClientRunsATaskOnItsOwnHandlerMethod() {
        scheduler = InProcessScheduler.startWith();
        shop = new SpringApplicationBuilder(Shop.class).run(
                "--server.port=0",
                "--spring.application.name=shop",
                "--taskwire.worker.enabled=true",
                "--taskwire.worker.id=shop-1",
                "--taskwire.worker.token=" + Tokens.WORKER,
                "--taskwire.worker.scheduler.port=" + scheduler.rsocketPort(),
                "--taskwire.client.enabled=true",
                "--taskwire.client.addresses=127.0.0.1:" + scheduler.rsocketPort(),
                "--taskwire.client.token=" + Tokens.CLIENT);
        await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.registry().find("shop-1").isPresent());
        TaskwireClient client = shop.getBean(TaskwireClient.class);

        TaskView done = client.sendSync(TaskRequest.of("invoice", new Order("o-17", 3)), Duration.ofSeconds(20));

        assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(done.workerId()).isEqualTo("shop-1");
        assertThat(client.output(done, Invoice.class)).isEqualTo(new Invoice("o-17", 3, done.taskId()));
        assertThat(scheduler.registry().find("shop-1").orElseThrow().hello().taskTypes()).containsExactly("invoice");
        assertThat(shop.getBean(TaskwireClientHealth.class).health().getStatus()).isEqualTo(Status.UP);
        Timer submits = shop.getBean(MeterRegistry.class).find("taskwire.rsocket.requests")
                .tags("route", "task.submit", "side", "requester", "outcome", "success").timer();
        assertThat(submits).as("the client's calls in the application's metrics").isNotNull();
        assertThat(submits.count()).isEqualTo(1);
    }
}
