package io.taskwire.deploy;

import static io.taskwire.deploy.TaskwireChart.SCHEDULER;
import static io.taskwire.deploy.Workloads.env;
import static io.taskwire.deploy.Workloads.onlyContainer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the scheduler keeps its tasks: the embedded H2 on a claim of its own, or an external PostgreSQL. */
class StoreRenderTest {

    @Test
    void byDefaultTheEmbeddedStoreKeepsItsFilesOnAClaimThatOutlivesTheRelease() {
        Manifests manifests = TaskwireChart.render(TaskwireChart.tokens());

        V1PersistentVolumeClaim claim = manifests.get(V1PersistentVolumeClaim.class, SCHEDULER + "-data");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toSuffixedString()).isEqualTo("1Gi");
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        V1PodSpec pod = pod(manifests);
        assertThat(pod.getVolumes()).anyMatch(volume -> volume.getName().equals("data")
                && volume.getPersistentVolumeClaim().getClaimName().equals(SCHEDULER + "-data"));
        V1Container scheduler = onlyContainer(pod);
        assertThat(scheduler.getVolumeMounts()).anyMatch(mount -> mount.getName().equals("data")
                && mount.getMountPath().equals("/app/taskwire-data") && !Boolean.TRUE.equals(mount.getReadOnly()));
        assertThat(scheduler.getEnv()).noneMatch(variable -> variable.getName().startsWith("SPRING_DATASOURCE"));
    }

    @Test
    void anExistingClaimIsMountedAndNoneIsCreated() {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put("scheduler.store.h2.existingClaim", "taskwire-tasks");

        Manifests manifests = TaskwireChart.render(values);

        assertThat(manifests.all(V1PersistentVolumeClaim.class)).isEmpty();
        assertThat(pod(manifests).getVolumes()).anyMatch(volume -> volume.getName().equals("data")
                && volume.getPersistentVolumeClaim().getClaimName().equals("taskwire-tasks"));
    }

    @Test
    void anExternalPostgresqlTakesItsCredentialsFromASecretAndNeedsNoClaim() {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put("scheduler.store.postgresql.url", "jdbc:postgresql://db:5432/taskwire");
        values.put("scheduler.store.postgresql.existingSecret", "taskwire-db");

        Manifests manifests = TaskwireChart.render(values);

        assertThat(manifests.all(V1PersistentVolumeClaim.class)).isEmpty();
        V1Container scheduler = onlyContainer(pod(manifests));
        assertThat(env(scheduler, "SPRING_DATASOURCE_URL").getValue()).isEqualTo("jdbc:postgresql://db:5432/taskwire");
        assertThat(env(scheduler, "SPRING_DATASOURCE_USERNAME").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo("taskwire-db");
                    assertThat(ref.getKey()).isEqualTo("username");
                });
        assertThat(env(scheduler, "SPRING_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo("taskwire-db");
                    assertThat(ref.getKey()).isEqualTo("password");
                });
        assertThat(scheduler.getVolumeMounts()).noneMatch(mount -> mount.getName().equals("data"));
    }

    @Test
    void aPostgresqlUrlWithoutACredentialsSecretIsRefused() {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put("scheduler.store.postgresql.url", "jdbc:postgresql://db:5432/taskwire");

        assertThatThrownBy(() -> TaskwireChart.template(values))
                .hasMessageContaining("scheduler.store.postgresql.existingSecret is required");
    }

    @Test
    void aUrlThatIsNotPostgresqlIsRefusedByTheSchema() {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put("scheduler.store.postgresql.url", "jdbc:mysql://db/taskwire");
        values.put("scheduler.store.postgresql.existingSecret", "taskwire-db");

        assertThatThrownBy(() -> TaskwireChart.template(values)).hasMessageContaining("url");
    }

    private static V1PodSpec pod(Manifests manifests) {
        return manifests.get(V1Deployment.class, SCHEDULER).getSpec().getTemplate().getSpec();
    }
}
