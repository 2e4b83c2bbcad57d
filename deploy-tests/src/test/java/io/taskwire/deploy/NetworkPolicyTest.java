package io.taskwire.deploy;

import static io.taskwire.deploy.TaskwireChart.SCHEDULER;
import static io.taskwire.deploy.TaskwireChart.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyEgressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {

    private static Manifests manifests;

    @BeforeAll
    static void render() {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put("networkPolicy.enabled", true);
        values.put("networkPolicy.allowExternal", false);
        values.put("networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring");
        manifests = TaskwireChart.render(values);
    }

    @Test
    void workersMayReachOnlyTheSchedulersRSocketPortAndDns() {
        V1NetworkPolicy policy = manifests.get(V1NetworkPolicy.class, WORKER);
        List<V1NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();

        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(selector(WORKER));
        assertThat(egress).hasSize(2);
        assertThat(egress.get(0).getTo()).singleElement()
                .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(selector(SCHEDULER)));
        assertThat(egress.get(0).getPorts()).extracting(V1NetworkPolicyPort::getPort).containsExactly(new IntOrString(7000));
        assertThat(egress.get(1).getPorts()).extracting(V1NetworkPolicyPort::getPort).containsOnly(new IntOrString(53));
    }

    @Test
    void theSchedulerAcceptsWorkersOnItsRSocketPort() {
        V1NetworkPolicy policy = manifests.get(V1NetworkPolicy.class, SCHEDULER);

        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(selector(SCHEDULER));
        assertThat(policy.getSpec().getIngress()).anySatisfy(rule -> {
            assertThat(rule.getFrom()).singleElement()
                    .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(selector(WORKER)));
            assertThat(rule.getPorts()).extracting(V1NetworkPolicyPort::getPort).containsExactly(new IntOrString("rsocket"));
        });
    }

    @Test
    void withoutAllowExternalOnlyLabelledClientsReachTheApi() {
        V1NetworkPolicy policy = manifests.get(V1NetworkPolicy.class, SCHEDULER);

        assertThat(policy.getSpec().getIngress()).anySatisfy(rule -> {
            assertThat(rule.getPorts()).extracting(V1NetworkPolicyPort::getPort)
                    .containsExactly(new IntOrString("http"), new IntOrString("rsocket"));
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                    .isEqualTo(Map.of(TaskwireChart.FULLNAME + "-client", "true")));
        });
        assertThat(policy.getSpec().getIngress()).anySatisfy(rule -> {
            assertThat(rule.getPorts()).extracting(V1NetworkPolicyPort::getPort).containsExactly(new IntOrString("management"));
            assertThat(rule.getFrom()).anySatisfy(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .isEqualTo(Map.of("name", "monitoring")));
        });
    }

    private static Map<String, String> selector(String deployment) {
        return manifests.get(V1Deployment.class, deployment).getSpec().getSelector().getMatchLabels();
    }
}
