package io.taskwire.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM on this test's class path, its output in {@code target/<folder>/<name>.log}: what the worker
 * and scheduler processes of the fault tests share. {@link #close()} kills it if it is still there,
 * and a shutdown hook does the same for processes a failed test did not close.
 */
final class ChildJvm {

    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmOptions> -cp <this class path> <mainClass> <args>}.
     *
     * @param folder the folder under {@code target} its log goes to
     * @param name names it in messages and names its log file, which it replaces
     */
    static ChildJvm start(String folder, String name, List<String> jvmOptions, String mainClass, List<String> args)
            throws IOException {
        Path logs = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", folder));
        Path log = logs.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        STARTED.add(process);
        return new ChildJvm(name, process, log);
    }

    Process process() {
        return process;
    }

    /** Sends SIGKILL and waits for the process to be gone; returns when the signal was sent, on {@link System#nanoTime()}. */
    long kill9() throws InterruptedException {
        long sentAt = System.nanoTime();
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("%s exited after SIGKILL", name).isTrue();
        assertThat(process.exitValue()).as("exit status of %s", name).isEqualTo(128 + 9);
        return sentAt;
    }

    /** Sends SIGSTOP and waits until the kernel shows the process stopped; returns when the signal was sent. */
    long pause() throws IOException, InterruptedException {
        long sentAt = signal("STOP");
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).until(() -> state() == 'T');
        return sentAt;
    }

    /** Sends SIGCONT and waits until the process runs again. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).until(() -> state() != 'T');
    }

    private long signal(String signal) throws IOException, InterruptedException {
        long sentAt = System.nanoTime();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS)).as("kill -%s returned", signal).isTrue();
        assertThat(kill.exitValue()).as("exit status of kill -%s %d (%s)", signal, process.pid(), name).isZero();
        return sentAt;
    }

    /** @return the process state letter from /proc (R, S, T, ...) */
    private char state() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // the command name in parentheses may itself hold spaces: the state follows its closing one
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if it is still there (stopped ones included) and waits for it to be gone. */
    void close() throws InterruptedException {
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            STARTED.remove(process);
        }
    }

    /** @return the last lines of its output */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
