package io.taskwire.worker.support;

import io.taskwire.worker.WorkerApplication;
import io.taskwire.worker.connection.SchedulerConnection;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a worker application when the test, not Spring's test framework, decides the order. */
public final class Workers {

    private Workers() {
    }

    /**
     * Starts a worker with its packaged defaults, a random HTTP port and the given overrides.
     *
     * @param schedulerPort where it dials the scheduler
     * @param overrides more properties as {@code key=value}
     * @return the running worker; close it
     */
    public static ConfigurableApplicationContext start(int schedulerPort, String... overrides) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--taskwire.worker.scheduler.port=" + schedulerPort));
        for (String override : overrides) {
            args.add("--" + override);
        }
        return WorkerApplication.builder().run(args.toArray(String[]::new));
    }

    /** @return whether the worker counts itself registered */
    public static boolean registered(ConfigurableApplicationContext worker) {
        return worker.getBean(SchedulerConnection.class).current().isPresent();
    }
}
