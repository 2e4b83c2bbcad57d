package io.taskwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskwire.client.error.InvalidRequestException;
import io.taskwire.messages.Json;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.TaskSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRequestTest {

    record Resize(String image, int width) {
    }

    @Test
    void aTypedPayloadAndEveryOptionReachTheSpec() {
        TaskSpec spec = TaskRequest.of("resize-image", new Resize("cat.png", 640))
                .idempotencyKey("order-17").key("tenant-3").timeout(Duration.ofSeconds(30)).maxAttempts(3)
                .labels(Map.of("zone", "a"))
                .toSpec(Json.mapper());

        assertThat(spec.type()).isEqualTo("resize-image");
        assertThat(spec.payload().get("image").asText()).isEqualTo("cat.png");
        assertThat(spec.payload().get("width").asInt()).isEqualTo(640);
        assertThat(spec.idempotencyKey()).isEqualTo("order-17");
        assertThat(spec.key()).isEqualTo("tenant-3");
        assertThat(spec.timeoutMs()).isEqualTo(30_000L);
        assertThat(spec.maxAttempts()).isEqualTo(3);
        assertThat(spec.routing().labels()).containsEntry("zone", "a");
        assertThat(TaskRequest.of("echo", null).toSpec(Json.mapper()).payload().isNull()).isTrue();
    }

    @Test
    void eachBrokenRuleIsRefusedNamingItsField() {
        assertField(() -> TaskRequest.of("", 1).toSpec(Json.mapper()), "type");
        assertField(() -> TaskRequest.of("x".repeat(129), 1).toSpec(Json.mapper()), "type");
        assertField(() -> TaskRequest.of("echo", 1).maxAttempts(0).toSpec(Json.mapper()), "maxAttempts");
        assertField(() -> TaskRequest.of("echo", 1).timeout(Duration.ZERO).toSpec(Json.mapper()), "timeoutMs");
        assertField(() -> TaskRequest.of("echo", 1).idempotencyKey("k".repeat(200)).toSpec(Json.mapper()), "idempotencyKey");
        assertField(() -> TaskRequest.of("echo", 1).pinnedTo(""), "workerId");
        assertField(() -> TaskRequest.of("echo", 1)
                .routing(new io.taskwire.messages.Routing(RoutingStrategy.CONSISTENT_HASH, null, null))
                .toSpec(Json.mapper()), "key");
        assertField(() -> TaskRequest.of("echo", new Object()).toSpec(Json.mapper()), "payload");
    }

    private static void assertField(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(InvalidRequestException.class,
                invalid -> assertThat(invalid.field()).isEqualTo(field));
    }

    @Test
    void addressesParseWithTheirDefaults() {
        assertThat(SchedulerAddress.parse("scheduler-a:7001")).isEqualTo(new SchedulerAddress("scheduler-a", 7001));
        assertThat(SchedulerAddress.parse("scheduler-b")).isEqualTo(new SchedulerAddress("scheduler-b", 7000));
        assertThat(SchedulerAddress.parse("[::1]:7002")).isEqualTo(new SchedulerAddress("::1", 7002));
        assertThat(SchedulerAddress.parse("[::1]:7002").toString()).isEqualTo("[::1]:7002");
        assertThatThrownBy(() -> SchedulerAddress.parse("host:port")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> SchedulerAddress.parse(" ")).hasMessageContaining("needs a host");
    }
}
