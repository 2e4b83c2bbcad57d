package io.taskwire.deploy;

import java.nio.file.Path;
import java.util.Map;

/** The defaults the services package (scheduler.yml, worker.yml), read from the repository. */
final class ServiceConfig {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private ServiceConfig() {
    }

    static Map<String, Object> scheduler() {
        return Yamls.file(ROOT.resolve("scheduler-service/src/main/resources/scheduler.yml"));
    }

    static Map<String, Object> worker() {
        return Yamls.file(ROOT.resolve("worker-service/src/main/resources/worker.yml"));
    }

    static int port(Map<String, Object> config, String path) {
        return ((Number) Yamls.at(config, path)).intValue();
    }
}
