package io.taskwire.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Service;
import org.junit.jupiter.api.Test;

/** The render tests rely on this: a misspelled field in a template fails the parse. */
class StrictParserTest {

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: scheduler
            spec:
              %s:
                - name: http
                  port: 8080
            """;

    @Test
    void parsesAWellFormedObject() {
        Manifests manifests = Manifests.parse(SERVICE.formatted("ports"));

        assertThat(manifests.get(V1Service.class, "scheduler").getSpec().getPorts()).hasSize(1);
    }

    @Test
    void rejectsAMisspelledField() {
        assertThatThrownBy(() -> Manifests.parse(SERVICE.formatted("prots"))).hasMessageContaining("prots");
    }
}
