package io.taskwire.deploy;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.Map;

/** The chart rendered once with a leader and a standby ({@link TaskwireChart#standbys()}), for the tests that read it. */
final class StandbysRender {

    static final Manifests MANIFESTS = TaskwireChart.render(TaskwireChart.standbys());
    static final V1Deployment DEPLOYMENT = MANIFESTS.get(V1Deployment.class, TaskwireChart.SCHEDULER);
    static final V1PodSpec POD = DEPLOYMENT.getSpec().getTemplate().getSpec();
    static final V1Container CONTAINER = Workloads.onlyContainer(POD);

    private StandbysRender() {
    }

    /** The labels the scheduler Deployment selects its pods by. */
    static Map<String, String> selector() {
        return DEPLOYMENT.getSpec().getSelector().getMatchLabels();
    }
}
