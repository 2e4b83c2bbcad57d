package io.taskwire.bench.soak;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import reactor.core.publisher.Hooks;

/**
 * The soak's attackers, in a JVM of their own so that their threads, allocations and collections
 * do not stall the JVM that measures the real traffic. Runs the selected attacks for the given time,
 * then prints one {@value #ROW} line per attack: its name, address, what it sent and what it was
 * answered, the rows of the report's attack table; and a {@value #CPU} line with the cores it used.
 *
 * <p>Arguments: {@code <rsocket port> <http port> <client token> <worker token> <seconds> [attack,attack]}.
 */
public final class AttackersMain {

    static final String ROW = "attack-row|";
    static final String CPU = "attack-cpu|";

    private AttackersMain() {
    }

    public static void main(String[] args) {
        // calls still in flight when the attacks stop are cancelled; their errors mean nothing
        Hooks.onErrorDropped(failure -> { });
        Attacks.Target target = new Attacks.Target(Integer.parseInt(args[0]), Integer.parseInt(args[1]), args[2], args[3]);
        Duration duration = Duration.ofSeconds(Long.parseLong(args[4]));
        Set<String> selected = args.length > 5 && !args[5].isBlank()
                ? new TreeSet<>(Arrays.asList(args[5].split(","))) : Set.of();
        List<Attack> attacks = Attacks.selected(target, selected);
        attacks.forEach(Attack::start);
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
        attacks.forEach(Attack::close);
        for (Attack attack : attacks) {
            System.out.println(ROW + row(attack));
        }
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        System.out.printf(CPU + "%.3f%n", cpu / duration.toSeconds());
        System.exit(0);
    }

    /** @return the attack's row of the report's table, Markdown */
    private static String row(Attack attack) {
        String answers = Stream.concat(attack.answers().entrySet().stream()
                        .map(answer -> String.format("%s: %,d", answer.getKey(), answer.getValue())),
                attack.notes().stream()).collect(Collectors.joining("; "));
        return String.format("| %s | %s | %s | %s |", attack.name(), attack.sourceAddress(), attack.description(),
                answers);
    }
}
