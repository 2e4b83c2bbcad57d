package io.taskwire.deploy;

import static io.taskwire.deploy.StandbysRender.CONTAINER;
import static io.taskwire.deploy.StandbysRender.DEPLOYMENT;
import static io.taskwire.deploy.StandbysRender.MANIFESTS;
import static io.taskwire.deploy.StandbysRender.POD;
import static io.taskwire.deploy.StandbysRender.selector;
import static io.taskwire.deploy.TaskwireChart.SCHEDULER;
import static io.taskwire.deploy.Workloads.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Affinity;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentStrategy;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** scheduler.replicas 2 on an external PostgreSQL: how the leader and the standby run, roll and spread. */
class HighAvailabilityRenderTest {

    @Test
    void runsTwoSchedulersOnPostgresqlAndCreatesNoClaim() {
        assertThat(DEPLOYMENT.getSpec().getReplicas()).isEqualTo(2);
        assertThat(env(CONTAINER, "SPRING_DATASOURCE_URL").getValue()).isEqualTo("jdbc:postgresql://db:5432/taskwire");
        assertThat(MANIFESTS.all(V1PersistentVolumeClaim.class)).isEmpty();
        assertThat(POD.getVolumes()).noneMatch(volume -> volume.getName().equals("data"));
    }

    @Test
    void anUpdateDoesNotWaitForNewStandbysToBeReadyForTheyNeverAre() {
        // any maxUnavailable short of all would keep the old leader until a new pod is ready: forever
        V1DeploymentStrategy strategy = DEPLOYMENT.getSpec().getStrategy();

        assertThat(strategy.getType()).isEqualTo("RollingUpdate");
        assertThat(strategy.getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString("100%"));
        assertThat(strategy.getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString(1));
    }

    @Test
    void aStoppingSchedulerLeadsOnWhileTheNewOnesStartAndKeepsItsGracePeriodAfterwards() {
        assertThat(CONTAINER.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "30");
        assertThat(POD.getTerminationGracePeriodSeconds()).isEqualTo(30 + 30L);
    }

    @Test
    void theSchedulersPreferDifferentNodes() {
        assertThat(POD.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
        assertThat(POD.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement().satisfies(preferred -> {
                    assertThat(preferred.getWeight()).isEqualTo(100);
                    assertThat(preferred.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(preferred.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(selector());
                });
    }

    @Test
    void requiredAntiAffinityIsASettingAndKeepsTheNodeAffinityGiven() {
        String term = "scheduler.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";
        Map<String, Object> values = TaskwireChart.standbys();
        values.put("scheduler.podAntiAffinity.mode", "required");
        values.put("scheduler.podAntiAffinity.topologyKey", "topology.kubernetes.io/zone");
        values.put(term + ".matchExpressions[0].key", "disktype");
        values.put(term + ".matchExpressions[0].operator", "Exists");

        V1Affinity affinity = TaskwireChart.render(values).get(V1Deployment.class, SCHEDULER)
                .getSpec().getTemplate().getSpec().getAffinity();

        assertThat(affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
        assertThat(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .singleElement().satisfies(required -> {
                    assertThat(required.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
                    assertThat(required.getLabelSelector().getMatchLabels()).isEqualTo(selector());
                });
        assertThat(affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .singleElement().satisfies(node -> assertThat(node.getMatchExpressions().get(0).getKey()).isEqualTo("disktype"));
    }

    @Test
    void eachSchedulerAdvertisesItsPodAddressAndRSocketPort() {
        int rsocket = ServiceConfig.port(ServiceConfig.scheduler(), "spring.rsocket.server.port");
        List<String> names = CONTAINER.getEnv().stream().map(V1EnvVar::getName).toList();
        V1EnvVar advertised = env(CONTAINER, "TASKWIRE_SCHEDULER_ADVERTISEDADDRESS");

        assertThat(env(CONTAINER, "POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        assertThat(advertised.getValue()).isEqualTo("$(POD_IP):" + rsocket);
        // Kubernetes expands $(POD_IP) only from a variable listed before
        assertThat(names.indexOf("POD_IP")).isLessThan(names.indexOf(advertised.getName()));
        assertThat(boundFromEnvironment(advertised.getName(), "10.1.2.3:7000", "taskwire.scheduler.advertised-address"))
                .isEqualTo("10.1.2.3:7000");
    }

    /** What Spring Boot binds to a property from this one environment variable. */
    private static String boundFromEnvironment(String variable, String value, String property) {
        SystemEnvironmentPropertySource environment = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, value));
        return new Binder(ConfigurationPropertySources.from(environment)).bind(property, String.class).orElse(null);
    }
}
