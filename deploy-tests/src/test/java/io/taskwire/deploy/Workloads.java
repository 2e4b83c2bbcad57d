package io.taskwire.deploy;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import java.util.Map;

/** Lookups into pod specs that the tests share. */
final class Workloads {

    private Workloads() {
    }

    static V1Container onlyContainer(V1PodSpec pod) {
        if (pod.getContainers().size() != 1) {
            throw new AssertionError("expected one container, got " + pod.getContainers());
        }
        return pod.getContainers().get(0);
    }

    /** The number a port reference stands for: itself, or the container port of that name. */
    static int containerPort(V1Container container, IntOrString port) {
        if (port.isInteger()) {
            return port.getIntValue();
        }
        return container.getPorts().stream()
                .filter(candidate -> port.getStrValue().equals(candidate.getName()))
                .mapToInt(V1ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrValue()));
    }

    static int probePort(V1Container container, V1Probe probe) {
        return containerPort(container, probe.getHttpGet().getPort());
    }

    static V1EnvVar env(V1Container container, String name) {
        return container.getEnv().stream()
                .filter(variable -> name.equals(variable.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no environment variable " + name));
    }

    /** The application.yml a ConfigMap holds, as a map. */
    static Map<String, Object> applicationYml(V1ConfigMap configMap) {
        return Yamls.map(configMap.getData().get("application.yml"));
    }
}
