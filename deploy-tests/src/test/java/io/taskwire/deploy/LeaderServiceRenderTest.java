package io.taskwire.deploy;

import static io.taskwire.deploy.StandbysRender.CONTAINER;
import static io.taskwire.deploy.StandbysRender.MANIFESTS;
import static io.taskwire.deploy.StandbysRender.selector;
import static io.taskwire.deploy.TaskwireChart.NAMESPACE;
import static io.taskwire.deploy.TaskwireChart.SCHEDULER;
import static io.taskwire.deploy.TaskwireChart.WORKER;
import static io.taskwire.deploy.Workloads.applicationYml;
import static io.taskwire.deploy.Workloads.probePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a leader and standbys, the scheduler Service is the one address that reaches the leader. */
class LeaderServiceRenderTest {

    @Test
    void theServiceReachesTheReadySchedulerAndReadinessHoldsTheLead() {
        Object readinessGroup = Yamls.at(ServiceConfig.scheduler(), "management.endpoint.health.group.readiness.include");
        int management = ServiceConfig.port(ServiceConfig.scheduler(), "management.server.port");
        V1Service service = MANIFESTS.get(V1Service.class, SCHEDULER);

        assertThat(service.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
        assertThat(service.getSpec().getSelector()).isEqualTo(selector());
        assertThat(CONTAINER.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(probePort(CONTAINER, CONTAINER.getReadinessProbe())).isEqualTo(management);
        // a standby is not ready: the Service passes it by
        assertThat(List.of(readinessGroup.toString().split(","))).contains("leadership");
        // and follows a new leader within about a second of its taking the lead
        assertThat(CONTAINER.getReadinessProbe().getPeriodSeconds()).isEqualTo(1);
    }

    @Test
    void workersDialTheOneServiceAddress() {
        Map<String, Object> workerYml = applicationYml(MANIFESTS.get(V1ConfigMap.class, WORKER));

        assertThat(Yamls.at(workerYml, "taskwire.worker.scheduler.host")).isEqualTo(SCHEDULER + "." + NAMESPACE + ".svc");
        assertThat(((Map<?, ?>) Yamls.at(workerYml, "taskwire.worker.scheduler")).containsKey("addresses")).isFalse();
    }

    @Test
    void theBudgetIsLeftOffByDefaultAndWhenOnKeepsTheReadyLeader() {
        Map<String, Object> values = TaskwireChart.standbys();
        values.put("scheduler.pdb.enabled", true);

        V1PodDisruptionBudget budget = TaskwireChart.render(values).get(V1PodDisruptionBudget.class, SCHEDULER);

        assertThat(MANIFESTS.all(V1PodDisruptionBudget.class))
                .extracting(pdb -> pdb.getMetadata().getName()).containsExactly(WORKER);
        assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
        assertThat(budget.getSpec().getMaxUnavailable()).isNull();
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(selector());
    }

    @Test
    void theInstallNotesWaitForOneReadySchedulerNotForTheRollout() {
        assertThat(TaskwireChart.notes(TaskwireChart.standbys()))
                .contains("wait --for=jsonpath='{.status.readyReplicas}'=1")
                .contains("standbys show 0/1 READY")
                .doesNotContain("rollout status deployment/", "It runs as one replica");
        assertThat(TaskwireChart.notes(TaskwireChart.tokens())).contains("rollout status deployment/", "It runs as one replica");
    }
}
