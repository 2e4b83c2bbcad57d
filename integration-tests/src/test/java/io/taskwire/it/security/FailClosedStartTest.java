package io.taskwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.scheduler.SchedulerApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler as an operator starts it, in its own JVM: without credentials it exits and says what to set. */
class FailClosedStartTest {

    @Test
    void withoutTokensTheSchedulerExitsNamingWhatToSet() throws Exception {
        Result result = run();

        assertThat(result.exitCode()).as("exit status; output:%n%s", result.output()).isNotZero();
        assertThat(result.output())
                .contains("APPLICATION FAILED TO START")
                .contains("The scheduler has no worker or client tokens configured")
                .contains("TASKWIRE_SECURITY_WORKER_TOKENS=")
                .contains("TASKWIRE_SECURITY_CLIENT_TOKENS=")
                .contains("TASKWIRE_SECURITY_INSECURE=true")
                .doesNotContain("Using generated security password");
    }

    @Test
    void aShortTokenIsRefusedNamingItsPosition() throws Exception {
        Result result = run("--taskwire.security.worker-tokens=short",
                "--taskwire.security.client-tokens=a-client-token-long-enough");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("worker-token-1").contains("5 characters long")
                .doesNotContain("a-client-token-long-enough");
    }

    @Test
    void oneTokenForBothRolesIsRefused() throws Exception {
        Result result = run("--taskwire.security.worker-tokens=same-token-for-both-roles",
                "--taskwire.security.client-tokens=same-token-for-both-roles");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("both a worker and a client token");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                SchedulerApplication.class.getName(),
                "--server.port=0", "--spring.rsocket.server.port=0", "--management.server.port=0"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("scheduler-start", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TASKWIRE_"));
        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as("the scheduler exited by itself; output:%n%s", output).isTrue();
        return new Result(process.exitValue(), output);
    }
}
