package io.taskwire.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IDEs complete and explain every property of the starter: each is in its metadata, with a description. */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyOfBothRolesIsDescribed() throws Exception {
        JsonNode metadata;
        try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(json);
        }
        List<String> names = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        metadata.get("properties").forEach(property -> {
            names.add(property.get("name").asText());
            if (!property.hasNonNull("description") || property.get("description").asText().isBlank()) {
                undescribed.add(property.get("name").asText());
            }
        });

        assertThat(names).contains("taskwire.worker.enabled", "taskwire.worker.token", "taskwire.worker.scheduler.addresses",
                "taskwire.worker.slots", "taskwire.client.enabled", "taskwire.client.addresses", "taskwire.client.token",
                "taskwire.client.tls.bundle");
        assertThat(undescribed).isEmpty();
    }
}
