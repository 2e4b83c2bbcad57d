package io.taskwire.bench.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class of this benchmark's jar run in a JVM of its own, as it runs in production: the jar
 * is a Spring Boot executable jar, so the child starts through Boot's {@code PropertiesLauncher}
 * with {@code loader.main} naming the application. Its output goes to a file, shown when it fails.
 */
public final class JavaProcess implements AutoCloseable {

    private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";


    /** {@code   12:   3400   108800  java.lang.String (java.base@17)}: bytes, then the class name */
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+).*");
    /**
     * Extra options for every child JVM, {@code {name}} replaced by the child's name: say
     * {@code -XX:StartFlightRecording=filename={name}.jfr,settings=profile,dumponexit=true} to profile them.
     */
    private static final String OPTIONS = System.getProperty("bench.child-jvm-options", "");

    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param name for messages and the log file
     * @param mainClass the application to run
     * @param maxHeap the child's {@code -Xmx}, e.g. {@code 1g}
     * @param args its command-line arguments ({@code --property=value})
     */
    public static JavaProcess start(String name, String mainClass, String maxHeap, List<String> args) {
        return start(name, mainClass, maxHeap, List.of(), args);
    }

    /**
     * @param jvmOptions further options of the child's JVM, e.g. {@code -XX:MaxDirectMemorySize=128m}
     * @see #start(String, String, String, List)
     */
    public static JavaProcess start(String name, String mainClass, String maxHeap, List<String> jvmOptions,
                                    List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx" + maxHeap);
        command.addAll(jvmOptions);
        if (!OPTIONS.isBlank()) {
            command.addAll(List.of(OPTIONS.trim().replace("{name}", name).split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dloader.main=" + mainClass);
        command.add(LAUNCHER);
        command.addAll(args);
        try {
            Path log = Files.createTempFile("taskwire-bench-" + name + "-", ".log");
            log.toFile().deleteOnExit();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new JavaProcess(name, process, log);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    /** @return a TCP port free at the moment of asking */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return CPU time the child has used so far, all its threads */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this platform does not report the CPU time of " + name));
    }

    /**
     * Live objects by class, from {@code jcmd GC.class_histogram}, which runs a full collection and
     * counts in the same safepoint: nothing allocated after the collection is counted, as it would
     * be by reading the heap's use in a second command while the process goes on working.
     *
     * @return bytes of live objects by class name
     */
    public Map<String, Long> classHistogram() {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            Matcher row = HISTOGRAM_ROW.matcher(line);
            if (row.matches()) {
                bytes.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
            }
        }
        return bytes;
    }

    private String jcmd(String command) {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        try {
            Process jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(), Long.toString(process.pid()), command)
                    .redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed for " + name + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("jcmd " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Waits for the child to exit by itself.
     *
     * @return its exit code
     * @throws IllegalStateException if it is still running after {@code within}
     */
    public int awaitExit(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still running after " + within);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** @return bytes the child has written to its output so far */
    public long outputSize() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the output of " + name, e);
        }
    }

    /** @return the lines of the child's output from the byte offset on (an {@link #outputSize()} read earlier) */
    public List<String> outputFrom(long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException("could not read the output of " + name, e);
        }
    }

    /** @return the child's resident set size (Linux {@code VmRSS}), in bytes */
    public long residentBytes() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .findFirst().orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not read the resident size of " + name + " (Linux only)", e);
        }
    }

    /** @return the end of the child's output, to explain a failure */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
