package io.taskwire.deploy;

import static io.taskwire.deploy.TaskwireChart.CLIENT_TOKEN;
import static io.taskwire.deploy.TaskwireChart.FULLNAME;
import static io.taskwire.deploy.TaskwireChart.SCHEDULER;
import static io.taskwire.deploy.TaskwireChart.WORKER;
import static io.taskwire.deploy.TaskwireChart.WORKER_TOKEN;
import static io.taskwire.deploy.Workloads.env;
import static io.taskwire.deploy.Workloads.onlyContainer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens only through the Secret, hardened pods, and the app.kubernetes.io labels everywhere. */
class SecretsAndHardeningTest {

    private static final String SECRET = FULLNAME + "-auth";

    private static Manifests manifests;

    @BeforeAll
    static void render() {
        manifests = TaskwireChart.render(TaskwireChart.tokens());
    }

    @Test
    void podsTakeTheTokensFromTheSecretByKey() {
        V1Container scheduler = container(SCHEDULER);
        V1Container worker = container(WORKER);

        // the scheduler reads them as files, re-read every 10 s, so editing the Secret rotates them live
        V1PodSpec schedulerPod = manifests.get(V1Deployment.class, SCHEDULER).getSpec().getTemplate().getSpec();
        String dir = env(scheduler, "TASKWIRE_SECURITY_TOKENS_DIR").getValue();
        assertThat(scheduler.getVolumeMounts()).anyMatch(mount -> mount.getName().equals("tokens")
                && mount.getMountPath().equals(dir) && Boolean.TRUE.equals(mount.getReadOnly()));
        V1Volume tokens = schedulerPod.getVolumes().stream().filter(volume -> volume.getName().equals("tokens"))
                .findFirst().orElseThrow();
        assertThat(tokens.getSecret().getSecretName()).isEqualTo(SECRET);
        assertThat(tokens.getSecret().getItems()).extracting(V1KeyToPath::getKey, V1KeyToPath::getPath)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("worker-token", "worker-tokens"),
                        org.assertj.core.groups.Tuple.tuple("client-token", "client-tokens"));
        assertThat(scheduler.getEnv()).noneMatch(variable -> variable.getName().endsWith("_TOKENS"));
        assertThat(secretRef(worker, "TASKWIRE_WORKER_TOKEN")).isEqualTo(Map.entry(SECRET, "worker-token"));
        assertThat(worker.getEnv()).noneMatch(variable -> variable.getName().contains("CLIENT"));
    }

    @Test
    void theSecretHoldsTheTokensAndNothingElseShowsThem() {
        V1Secret secret = manifests.get(V1Secret.class, SECRET);

        assertThat(secret.getData()).containsOnlyKeys("worker-token", "client-token");
        assertThat(new String(secret.getData().get("worker-token"), StandardCharsets.UTF_8)).isEqualTo(WORKER_TOKEN);
        assertThat(new String(secret.getData().get("client-token"), StandardCharsets.UTF_8)).isEqualTo(CLIENT_TOKEN);
        String everythingButTheSecret = manifests.text().replace(base64(WORKER_TOKEN), "").replace(base64(CLIENT_TOKEN), "");
        assertThat(everythingButTheSecret).doesNotContain(WORKER_TOKEN, CLIENT_TOKEN, base64(WORKER_TOKEN), base64(CLIENT_TOKEN));
    }

    @Test
    void aViewerTokenIsInTheSecretAndTheSchedulersTokensDirectoryOnlyWhenGiven() {
        Map<String, Object> values = TaskwireChart.tokens();
        values.put("auth.viewerToken", "viewer-token-only-for-render-tests-2b8d");
        Manifests withViewer = TaskwireChart.render(values);

        assertThat(new String(withViewer.get(V1Secret.class, SECRET).getData().get("viewer-token"), StandardCharsets.UTF_8))
                .isEqualTo("viewer-token-only-for-render-tests-2b8d");
        assertThat(tokenFiles(withViewer)).containsExactlyInAnyOrder("worker-tokens", "client-tokens", "viewer-tokens");
        assertThat(tokenFiles(manifests)).as("none given").containsExactlyInAnyOrder("worker-tokens", "client-tokens");

        Map<String, Object> existing = new java.util.LinkedHashMap<>(Map.of("auth.existingSecret", "taskwire-auth",
                "auth.existingSecretHasViewerToken", true));
        assertThat(tokenFiles(TaskwireChart.render(existing))).contains("viewer-tokens");
        values.put("auth.viewerToken", "short");
        assertThatThrownBy(() -> TaskwireChart.template(values)).hasMessageContaining("viewerToken");
        Map<String, Object> withoutSecret = TaskwireChart.tokens();
        withoutSecret.put("auth.existingSecretHasViewerToken", true);
        assertThatThrownBy(() -> TaskwireChart.template(withoutSecret)).as("no existing Secret to hold it")
                .hasMessageContaining("existingSecretHasViewerToken");
    }

    private static List<String> tokenFiles(Manifests rendered) {
        return rendered.get(V1Deployment.class, SCHEDULER).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getName().equals("tokens")).findFirst().orElseThrow()
                .getSecret().getItems().stream().map(V1KeyToPath::getPath).toList();
    }

    @Test
    void podsRunHardened() {
        for (String name : new String[] {SCHEDULER, WORKER}) {
            V1PodSpec pod = manifests.get(V1Deployment.class, name).getSpec().getTemplate().getSpec();
            V1Container container = onlyContainer(pod);

            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
            // a read-only root needs a writable /tmp for Tomcat and the JVM
            assertThat(container.getVolumeMounts()).as(name).anyMatch(mount -> mount.getMountPath().equals("/tmp"));
            assertThat(pod.getVolumes()).as(name).anyMatch(volume -> volume.getName().equals("tmp") && volume.getEmptyDir() != null);
        }
    }

    @Test
    void everyObjectCarriesTheRecommendedLabels() {
        for (KubernetesObject object : manifests.objects()) {
            assertThat(object.getMetadata().getLabels()).as(object.getKind() + " " + object.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/name", "taskwire")
                    .containsEntry("app.kubernetes.io/instance", TaskwireChart.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsEntry("app.kubernetes.io/part-of", "taskwire")
                    .containsKey("app.kubernetes.io/version")
                    .containsKey("helm.sh/chart");
        }
        for (String name : new String[] {SCHEDULER, WORKER}) {
            V1Deployment deployment = manifests.get(V1Deployment.class, name);
            String component = name.substring(name.lastIndexOf('-') + 1);
            assertThat(deployment.getSpec().getSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", component);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        }
    }

    private static V1Container container(String deployment) {
        return onlyContainer(manifests.get(V1Deployment.class, deployment).getSpec().getTemplate().getSpec());
    }

    private static Map.Entry<String, String> secretRef(V1Container container, String variable) {
        assertThat(env(container, variable).getValue()).as(variable + " inline").isNull();
        V1SecretKeySelector selector = env(container, variable).getValueFrom().getSecretKeyRef();
        return Map.entry(selector.getName(), selector.getKey());
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
