package io.taskwire.deploy;

import static io.taskwire.deploy.TaskwireChart.SCHEDULER;
import static io.taskwire.deploy.TaskwireChart.WORKER;
import static io.taskwire.deploy.Workloads.applicationYml;
import static io.taskwire.deploy.Workloads.env;
import static io.taskwire.deploy.Workloads.onlyContainer;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS on, five to twelve autoscaled workers, an existing Secret, ServiceMonitors on. */
class OverridesRenderTest {

    private static Manifests manifests;

    @BeforeAll
    static void render() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("auth.existingSecret", "taskwire-auth");
        values.put("tls.enabled", true);
        values.put("tls.secretName", "taskwire-tls");
        values.put("worker.replicaCount", 5);
        values.put("worker.autoscaling.enabled", true);
        values.put("worker.autoscaling.minReplicas", 5);
        values.put("worker.autoscaling.maxReplicas", 12);
        values.put("serviceMonitor.enabled", true);
        values.put("serviceMonitor.labels.release", "prometheus");
        values.put("worker.topologySpreadConstraints[0].maxSkew", 1);
        values.put("worker.topologySpreadConstraints[0].topologyKey", "kubernetes.io/hostname");
        values.put("worker.topologySpreadConstraints[0].whenUnsatisfiable", "ScheduleAnyway");
        manifests = TaskwireChart.render(values);
    }

    @Test
    void anExistingSecretIsReferencedAndNoneIsCreated() {
        assertThat(manifests.all(V1Secret.class)).isEmpty();
        // the scheduler mounts the Secret as its tokens directory; the worker takes its token by key
        assertThat(pod(SCHEDULER).getVolumes()).anyMatch(volume -> volume.getName().equals("tokens")
                && "taskwire-auth".equals(volume.getSecret().getSecretName()));
        onlyContainer(pod(WORKER)).getEnv().stream()
                .filter(variable -> variable.getName().contains("TOKEN"))
                .forEach(variable -> assertThat(variable.getValueFrom().getSecretKeyRef().getName())
                        .as(variable.getName()).isEqualTo("taskwire-auth"));
        assertThat(env(onlyContainer(pod(WORKER)), "TASKWIRE_WORKER_TOKEN").getValueFrom().getSecretKeyRef().getKey())
                .isEqualTo("worker-token");
    }

    @Test
    void tlsServesTheMountedCertificateAndAsksForClientCertificates() {
        Map<String, Object> config = applicationYml(manifests.get(V1ConfigMap.class, SCHEDULER));

        assertThat(Yamls.at(config, "spring.rsocket.server.ssl.bundle")).isEqualTo("taskwire");
        assertThat(Yamls.at(config, "spring.rsocket.server.ssl.client-auth")).isEqualTo("need");
        assertThat(Yamls.at(config, "spring.ssl.bundle.pem.taskwire.keystore.certificate")).isEqualTo("file:/etc/taskwire/tls/tls.crt");
        assertThat(Yamls.at(config, "spring.ssl.bundle.pem.taskwire.keystore.private-key")).isEqualTo("file:/etc/taskwire/tls/tls.key");
        assertThat(Yamls.at(config, "spring.ssl.bundle.pem.taskwire.truststore.certificate")).isEqualTo("file:/etc/taskwire/tls/ca.crt");
        assertTlsSecretMounted(pod(SCHEDULER));
    }

    @Test
    void workersVerifyTheSchedulerAndPresentTheirCertificate() {
        Map<String, Object> config = applicationYml(manifests.get(V1ConfigMap.class, WORKER));

        assertThat(Yamls.at(config, "taskwire.worker.scheduler.tls.enabled")).isEqualTo(true);
        assertThat(Yamls.at(config, "taskwire.worker.scheduler.tls.bundle")).isEqualTo("taskwire");
        assertThat(Yamls.at(config, "spring.ssl.bundle.pem.taskwire.truststore.certificate")).isEqualTo("file:/etc/taskwire/tls/ca.crt");
        assertThat(Yamls.at(config, "spring.ssl.bundle.pem.taskwire.keystore.certificate")).isEqualTo("file:/etc/taskwire/tls/tls.crt");
        assertTlsSecretMounted(pod(WORKER));
    }

    @Test
    void theAutoscalerOwnsTheWorkerCount() {
        V2HorizontalPodAutoscaler autoscaler = manifests.get(V2HorizontalPodAutoscaler.class, WORKER);

        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(WORKER);
        assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(5);
        assertThat(autoscaler.getSpec().getMaxReplicas()).isEqualTo(12);
        // a replicas field would fight the autoscaler on every upgrade
        assertThat(manifests.get(V1Deployment.class, WORKER).getSpec().getReplicas()).isNull();
    }

    @Test
    void workersSpreadOverNodesBySelectingThemselves() {
        V1Deployment deployment = manifests.get(V1Deployment.class, WORKER);

        assertThat(pod(WORKER).getTopologySpreadConstraints()).singleElement().satisfies(constraint -> {
            assertThat(constraint.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(constraint.getLabelSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMonitorsScrapeThePrometheusEndpointOnBothManagementPorts() {
        List<Map<String, Object>> monitors = manifests.customResources("ServiceMonitor");

        assertThat(monitors).hasSize(2);
        for (Map<String, Object> monitor : monitors) {
            String name = (String) Yamls.at(monitor, "metadata.name");
            assertThat(Yamls.at(monitor, "metadata.labels.release")).isEqualTo("prometheus");
            Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) Yamls.at(monitor, "spec.endpoints")).get(0);
            assertThat(endpoint.get("path")).isEqualTo("/actuator/prometheus");
            assertThat(endpoint.get("port")).isEqualTo("management");
            // the monitor must find a Service of that name that has a port named management
            V1Service service = manifests.get(V1Service.class, name);
            assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(
                    (Map<String, String>) Yamls.at(monitor, "spec.selector.matchLabels"));
            assertThat(service.getSpec().getPorts()).anyMatch(port -> "management".equals(port.getName()));
        }
    }

    private static V1PodSpec pod(String deployment) {
        return manifests.get(V1Deployment.class, deployment).getSpec().getTemplate().getSpec();
    }

    private static void assertTlsSecretMounted(V1PodSpec pod) {
        assertThat(onlyContainer(pod).getVolumeMounts())
                .anyMatch(mount -> mount.getName().equals("tls") && mount.getMountPath().equals("/etc/taskwire/tls"));
        assertThat(pod.getVolumes())
                .anyMatch(volume -> volume.getName().equals("tls") && "taskwire-tls".equals(volume.getSecret().getSecretName()));
    }
}
