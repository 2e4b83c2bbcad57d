package io.taskwire.bench.soak;

import io.taskwire.bench.cluster.JavaProcess;
import io.taskwire.bench.cluster.SchedulerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What each of the soak's attacks costs by itself ({@code attack-costs}): a scheduler with the soak's
 * JVM options and two idle workers, no real traffic, first left alone for a window, then under each
 * attack alone for a window, the attacker in a JVM of its own. It prints the scheduler's CPU in each
 * window and the attacker's. The soak runs all the attacks at once under real traffic; this says which
 * of them the scheduler pays most for. About six minutes.
 */
public final class AttackCosts {

    private static final Duration WINDOW = Duration.ofSeconds(30);

    private AttackCosts() {
    }

    /** @param args {@code --attacks=wrong-tokens,heartbeat-flood} for some of the attacks only (all by default) */
    public static void main(String[] args) {
        List<String> attacks = Attacks.names();
        for (String arg : args) {
            if (!arg.startsWith("--attacks=")) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: --attacks=a,b");
            }
            attacks = List.of(arg.substring("--attacks=".length()).split(","));
            if (!Attacks.selectable().containsAll(attacks)) {
                throw new IllegalArgumentException(arg + " names an unknown attack; known: " + Attacks.selectable());
            }
        }
        System.out.printf("Run: attack costs, started %s, windows of %d s%n%n", Instant.now(), WINDOW.toSeconds());
        SchedulerProcess scheduler = new SchedulerProcess("costs-scheduler", SoakMain.SCHEDULER_HEAP,
                SoakMain.SCHEDULER_JVM, List.of("--taskwire.scheduler.min-workers=2"));
        List<JavaProcess> workers = List.of(scheduler.startWorker("costs-a", SoakMain.WORKER_SLOTS),
                scheduler.startWorker("costs-b", SoakMain.WORKER_SLOTS));
        try {
            scheduler.awaitReady(Duration.ofMinutes(3));
            System.out.println("Scheduler CPU in cores over each window (from the attacker's start to its exit), and"
                    + " the attacker's own (its JVM's start included).");
            System.out.println();
            System.out.println("| attack | scheduler CPU | attacker CPU |");
            System.out.println("| --- | ---: | ---: |");
            Duration before = scheduler.process().cpuTime();
            long start = System.nanoTime();
            LockSupport.parkNanos(WINDOW.toNanos());
            System.out.printf("| none (idle) | %.2f | — |%n", cores(scheduler.process().cpuTime().minus(before), start));
            for (String attack : attacks) {
                before = scheduler.process().cpuTime();
                start = System.nanoTime();
                double attackerCores = attackAlone(scheduler, attack);
                System.out.printf("| %s | %.2f | %.2f |%n", attack, cores(scheduler.process().cpuTime().minus(before), start),
                        attackerCores);
            }
        } finally {
            workers.forEach(JavaProcess::close);
            scheduler.close();
        }
        System.exit(0);
    }

    /** @return the attacker's CPU in cores, as it reported it */
    private static double attackAlone(SchedulerProcess scheduler, String attack) {
        try (JavaProcess attacker = JavaProcess.start("costs-" + attack, AttackersMain.class.getName(),
                SoakMain.ATTACKERS_HEAP, List.of(Integer.toString(scheduler.rsocketPort()),
                        Integer.toString(scheduler.httpPort()), scheduler.clientToken(), scheduler.workerToken(),
                        Long.toString(WINDOW.toSeconds()), attack))) {
            if (attacker.awaitExit(WINDOW.plusMinutes(2)) != 0) {
                throw new IllegalStateException("the attack " + attack + " failed:\n" + attacker.tail());
            }
            return attacker.outputFrom(0).stream().filter(line -> line.startsWith(AttackersMain.CPU))
                    .mapToDouble(line -> Double.parseDouble(line.substring(AttackersMain.CPU.length())))
                    .findFirst().orElse(Double.NaN);
        }
    }

    private static double cores(Duration cpu, long sinceNanos) {
        return cpu.toNanos() / (double) (System.nanoTime() - sinceNanos);
    }
}
