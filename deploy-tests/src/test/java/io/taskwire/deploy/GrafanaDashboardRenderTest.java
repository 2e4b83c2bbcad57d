package io.taskwire.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard's ConfigMap: off by default; on, labelled for the sidecar and holding the
 * chart's dashboard file unchanged, a dashboard whose every panel queries Prometheus through the
 * data source variable. {@code integration-tests}' {@code ObservabilityTest} checks that the series
 * it queries exist.
 */
class GrafanaDashboardRenderTest {

    private static final String NAME = TaskwireChart.FULLNAME + "-dashboard";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void thereIsNoDashboardByDefault() {
        Manifests manifests = TaskwireChart.render(TaskwireChart.tokens());

        assertThat(manifests.all(V1ConfigMap.class)).extracting(map -> map.getMetadata().getName()).doesNotContain(NAME);
    }

    @Test
    void enabledItIsAConfigMapTheSidecarFindsHoldingTheChartsDashboard() throws Exception {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put("grafanaDashboard.enabled", true);
        values.put("grafanaDashboard.annotations.grafana_folder", "Taskwire");
        V1ConfigMap map = TaskwireChart.render(values).get(V1ConfigMap.class, NAME);

        assertThat(map.getMetadata().getNamespace()).isEqualTo(TaskwireChart.NAMESPACE);
        assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1")
                .containsEntry("app.kubernetes.io/part-of", "taskwire");
        assertThat(map.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Taskwire");
        String file = Files.readString(TaskwireChart.DIR.resolve("dashboards/taskwire.json"));
        JsonNode dashboard = JSON.readTree(map.getData().get("taskwire.json"));
        assertThat(dashboard).isEqualTo(JSON.readTree(file));

        assertThat(dashboard.path("uid").asText()).isEqualTo("taskwire");
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(panel.path("title").asText());
            assertThat(panel.at("/datasource/uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty()
                    .allSatisfy(target -> assertThat(target.path("expr").asText()).contains("taskwire_"));
        }
        assertThat(titles).contains("Tasks per second", "Workers by status", "Leader", "Fire lag");
    }

    @Test
    void anotherLabelOrNamespaceIsTakenAndAMisspelledKeyIsRefused() {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put("grafanaDashboard.enabled", true);
        values.put("grafanaDashboard.label", "dashboards");
        values.put("grafanaDashboard.labelValue", "taskwire");
        values.put("grafanaDashboard.namespace", "monitoring");
        V1ConfigMap map = TaskwireChart.render(values).get(V1ConfigMap.class, NAME);

        assertThat(map.getMetadata().getLabels()).containsEntry("dashboards", "taskwire").doesNotContainKey("grafana_dashboard");
        assertThat(map.getMetadata().getNamespace()).isEqualTo("monitoring");

        Map<String, Object> misspelled = TaskwireChart.tokens();
        misspelled.put("grafanaDashboard.enable", true);
        assertThatThrownBy(() -> TaskwireChart.template(misspelled)).hasMessageContaining("enable");
    }
}
