package io.taskwire.deploy;

import static io.taskwire.deploy.TaskwireChart.NAMESPACE;
import static io.taskwire.deploy.TaskwireChart.SCHEDULER;
import static io.taskwire.deploy.TaskwireChart.WORKER;
import static io.taskwire.deploy.Workloads.applicationYml;
import static io.taskwire.deploy.Workloads.containerPort;
import static io.taskwire.deploy.Workloads.onlyContainer;
import static io.taskwire.deploy.Workloads.probePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart with only the values a user must give: ports, probes and addresses agree with the services. */
class DefaultRenderTest {

    private static Manifests manifests;
    private static V1Container scheduler;
    private static V1Container worker;

    @BeforeAll
    static void render() {
        manifests = TaskwireChart.render(TaskwireChart.tokens());
        scheduler = onlyContainer(manifests.get(V1Deployment.class, SCHEDULER).getSpec().getTemplate().getSpec());
        worker = onlyContainer(manifests.get(V1Deployment.class, WORKER).getSpec().getTemplate().getSpec());
    }

    @Test
    void schedulerRunsAsOneReplicaReplacedByRecreate() {
        V1Deployment deployment = manifests.get(V1Deployment.class, SCHEDULER);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        // nothing of the standbys' setup: no anti-affinity, no delay before SIGTERM
        assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity()).isNull();
        assertThat(scheduler.getLifecycle()).isNull();
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30);
        assertThat(manifests.get(V1Deployment.class, WORKER).getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void schedulerProbesAskTheActuatorOnTheManagementPortOfSchedulerYml() {
        int management = ServiceConfig.port(ServiceConfig.scheduler(), "management.server.port");

        assertThat(scheduler.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(scheduler.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(scheduler.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(probePort(scheduler, scheduler.getLivenessProbe())).isEqualTo(management);
        assertThat(probePort(scheduler, scheduler.getStartupProbe())).isEqualTo(management);
        assertThat(probePort(scheduler, scheduler.getReadinessProbe())).isEqualTo(management);
    }

    @Test
    void workerProbesAskTheActuatorOnTheServerPortOfWorkerYml() {
        int management = ServiceConfig.port(ServiceConfig.worker(), "server.port");

        assertThat(worker.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(worker.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(probePort(worker, worker.getLivenessProbe())).isEqualTo(management);
        assertThat(probePort(worker, worker.getStartupProbe())).isEqualTo(management);
        assertThat(probePort(worker, worker.getReadinessProbe())).isEqualTo(management);
    }

    @Test
    void schedulerServiceNamesThePortsOfSchedulerYml() {
        Map<String, Object> defaults = ServiceConfig.scheduler();
        V1Service service = manifests.get(V1Service.class, SCHEDULER);

        assertThat(service.getSpec().getPorts()).extracting(V1ServicePort::getName)
                .containsExactly("rsocket", "http", "management");
        assertThat(servicePort(service, "rsocket")).isEqualTo(ServiceConfig.port(defaults, "spring.rsocket.server.port"));
        assertThat(servicePort(service, "http")).isEqualTo(ServiceConfig.port(defaults, "server.port"));
        assertThat(servicePort(service, "management")).isEqualTo(ServiceConfig.port(defaults, "management.server.port"));
        for (V1ServicePort port : service.getSpec().getPorts()) {
            assertThat(containerPort(scheduler, port.getTargetPort())).as(port.getName()).isEqualTo(port.getPort());
        }
        assertThat(service.getSpec().getSelector())
                .isEqualTo(manifests.get(V1Deployment.class, SCHEDULER).getSpec().getSelector().getMatchLabels());
    }

    @Test
    void configMapsSetThePortsTheContainersOpen() {
        Map<String, Object> schedulerYml = applicationYml(manifests.get(V1ConfigMap.class, SCHEDULER));
        Map<String, Object> workerYml = applicationYml(manifests.get(V1ConfigMap.class, WORKER));

        assertThat(Yamls.at(schedulerYml, "management.server.port")).isEqualTo(probePort(scheduler, scheduler.getReadinessProbe()));
        assertThat(Yamls.at(schedulerYml, "server.port")).isEqualTo(namedPort(scheduler, "http"));
        assertThat(Yamls.at(schedulerYml, "spring.rsocket.server.port")).isEqualTo(namedPort(scheduler, "rsocket"));
        assertThat(Yamls.at(workerYml, "server.port")).isEqualTo(probePort(worker, worker.getReadinessProbe()));
    }

    @Test
    void workerDialsTheSchedulerServiceByNameOnItsRSocketPort() {
        Map<String, Object> workerYml = applicationYml(manifests.get(V1ConfigMap.class, WORKER));

        assertThat(Yamls.at(workerYml, "taskwire.worker.scheduler.host")).isEqualTo(SCHEDULER + "." + NAMESPACE + ".svc");
        assertThat(Yamls.at(workerYml, "taskwire.worker.scheduler.port"))
                .isEqualTo(servicePort(manifests.get(V1Service.class, SCHEDULER), "rsocket"));
    }

    @Test
    void applicationYmlIsMountedWhereSpringLooksForIt() {
        for (V1Container container : new V1Container[] {scheduler, worker}) {
            assertThat(Workloads.env(container, "SPRING_CONFIG_ADDITIONAL_LOCATION").getValue()).isEqualTo("optional:file:/config/");
            assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
                assertThat(mount.getName()).isEqualTo("config");
                assertThat(mount.getMountPath()).isEqualTo("/config");
            });
        }
    }

    @Test
    void leavesTheOptionalPartsOut() {
        assertThat(manifests.text()).doesNotContain("kind: HorizontalPodAutoscaler", "kind: NetworkPolicy",
                "kind: ServiceMonitor", "ssl");
        assertThat(manifests.all(V1PodDisruptionBudget.class))
                .extracting(pdb -> pdb.getMetadata().getName()).containsExactly(WORKER);
    }

    private static int servicePort(V1Service service, String name) {
        return service.getSpec().getPorts().stream()
                .filter(port -> name.equals(port.getName()))
                .mapToInt(V1ServicePort::getPort)
                .findFirst()
                .orElseThrow();
    }

    private static int namedPort(V1Container container, String name) {
        return containerPort(container, new IntOrString(name));
    }
}
