package io.taskwire.deploy;

import static io.taskwire.deploy.TaskwireChart.FULLNAME;
import static io.taskwire.deploy.TaskwireChart.NAMESPACE;
import static io.taskwire.deploy.TaskwireChart.SCHEDULER;
import static io.taskwire.deploy.Workloads.env;
import static io.taskwire.deploy.Workloads.onlyContainer;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helm test pod asks the scheduler Service for readiness and for the worker list with the client token. */
class HelmTestHookTest {

    private static final String TEMPLATE = "templates/tests/test-scheduler.yaml";

    @TempDir
    Path temporary;

    @Test
    void isAHelmTestHook() throws IOException {
        assertThat(Files.readString(TaskwireChart.DIR.resolve(TEMPLATE))).contains("helm.sh/hook: test");
    }

    @Test
    void asksTheSchedulerServiceForReadinessAndTheWorkerListWithTheClientToken() {
        V1Pod pod = renderTestPod();
        V1Container container = onlyContainer(pod.getSpec());
        String script = String.join(" ", container.getCommand());
        String host = SCHEDULER + "." + NAMESPACE + ".svc";

        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(script).contains("taskwire-health " + host + " 9090 /actuator/health/readiness");
        assertThat(script).contains("TASKWIRE_PROBE_TOKEN=$CLIENT_TOKEN taskwire-health " + host + " 8080 /api/v1/workers");
        assertThat(env(container, "CLIENT_TOKEN").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("client-token");
        assertThat(container.getImage()).isEqualTo(schedulerImage());
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    /** helm-java's template leaves hooks out: render a copy whose test pod is not a hook. */
    private V1Pod renderTestPod() {
        Path chart = ChartCopy.of(temporary.resolve("taskwire"));
        ChartCopy.edit(chart, TEMPLATE, template -> template.replace("helm.sh/hook: test", "taskwire.io/was-hook: test"));
        return Manifests.parse(TaskwireChart.template(chart, TaskwireChart.tokens())).get(V1Pod.class, FULLNAME + "-test");
    }

    private static String schedulerImage() {
        return onlyContainer(TaskwireChart.render(TaskwireChart.tokens())
                .get(V1Deployment.class, SCHEDULER).getSpec().getTemplate().getSpec()).getImage();
    }
}
