package io.taskwire.deploy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** values.schema.json (and the templates' own checks) refuse what would deploy badly. */
class ValuesSchemaTest {

    @Test
    void rejectsANegativeWorkerCount() {
        assertRejected(with("worker.replicaCount", -1), "replicaCount");
    }

    @Test
    void rejectsAMissingToken() {
        Map<String, Object> values = TaskwireChart.tokens();
        values.remove("auth.clientToken");

        assertRejected(values, "clientToken");
    }

    @Test
    void rejectsNoTokenAtAll() {
        assertThatThrownBy(() -> TaskwireChart.template(Map.of()))
                .hasMessageContaining("workerToken")
                .hasMessageContaining("clientToken");
    }

    @Test
    void rejectsAShortToken() {
        assertRejected(with("auth.workerToken", "secret"), "workerToken");
    }

    @Test
    void rejectsTokensNextToAnExistingSecret() {
        assertRejected(with("auth.existingSecret", "taskwire-auth"), "workerToken");
    }

    @Test
    void acceptsAnExistingSecretAlone() {
        assertThatCode(() -> TaskwireChart.template(Map.of("auth.existingSecret", "taskwire-auth")))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsAMisspelledKey() {
        assertRejected(with("worker.replicas", 3), "replicas");
    }

    @Test
    void rejectsTlsWithoutACertificateSecret() {
        assertRejected(with("tls.enabled", true), "secretName");
    }

    @Test
    void rejectsAnAutoscalerWhoseMinimumExceedsItsMaximum() {
        Map<String, Object> values = with("worker.autoscaling.enabled", true);
        values.put("worker.autoscaling.minReplicas", 8);
        values.put("worker.autoscaling.maxReplicas", 4);

        assertRejected(values, "minReplicas");
    }

    @Test
    void rejectsAPortOutOfRange() {
        assertRejected(with("scheduler.ports.management", 70000), "management");
    }

    @Test
    void rejectsStandbysOnTheEmbeddedStoreNamingBothWaysOut() {
        // the embedded H2 file is opened by one scheduler at a time: one replica, or PostgreSQL
        assertThatThrownBy(() -> TaskwireChart.template(with("scheduler.replicas", 2)))
                .hasMessageContaining("/scheduler/replicas")
                .hasMessageContaining("/scheduler/store/postgresql/url");
    }

    @Test
    void refusesStandbysOnTheEmbeddedStoreInTheTemplateTooWhenTheSchemaIsSkipped(@TempDir Path temporary)
            throws IOException {
        Path chart = ChartCopy.of(temporary.resolve("taskwire"));
        Files.delete(chart.resolve("values.schema.json"));

        assertThatThrownBy(() -> TaskwireChart.template(chart, with("scheduler.replicas", 2)))
                .hasMessageContaining("scheduler.replicas above 1 (a leader and standbys) needs scheduler.store.postgresql.url");
    }

    @Test
    void rejectsAnAntiAffinityModeItDoesNotKnow() {
        assertRejected(with("scheduler.podAntiAffinity.mode", "soft"), "mode");
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put(key, value);
        return values;
    }

    private static void assertRejected(Map<String, Object> values, String naming) {
        assertThatThrownBy(() -> TaskwireChart.template(values)).hasMessageContaining(naming);
    }
}
