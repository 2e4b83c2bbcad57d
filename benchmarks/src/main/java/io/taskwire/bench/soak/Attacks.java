package io.taskwire.bench.soak;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The attacks of the soak, one per budget of SECURITY.md, each from a loopback address
 * of its own (127.0.0.2 and up: Linux routes all of 127/8 to the loopback device), so that one
 * attack's rate limits do not turn away another's, nor the real traffic from 127.0.0.1.
 */
final class Attacks {

    private Attacks() {
    }

    /**
     * What the attacks aim at.
     *
     * @param rsocketPort the scheduler's RSocket port
     * @param httpPort its HTTP API port
     * @param clientToken a valid client token, for the attacks that come authenticated
     * @param workerToken a valid worker token, likewise
     */
    record Target(int rsocketPort, int httpPort, String clientToken, String workerToken) {
    }

    /** @return the attacks' names, as {@code --attacks} takes them */
    static List<String> names() {
        return all(new Target(0, 0, "", "")).stream().map(Attack::slug).toList();
    }

    /** @return what {@code --attacks} takes: the attacks' names and the control's, {@link BusyNeighbour#SLUG} */
    static List<String> selectable() {
        return Stream.concat(names().stream(), Stream.of(BusyNeighbour.SLUG)).toList();
    }

    /**
     * @param names the attacks to run, by {@link Attack#slug()}; all the attacks (not the control) when empty
     * @return those attacks, not started
     * @throws IllegalArgumentException if a name is not one of them
     */
    static List<Attack> selected(Target target, Set<String> names) {
        if (!selectable().containsAll(names)) {
            throw new IllegalArgumentException("--attacks names " + names + "; known: " + selectable());
        }
        if (names.isEmpty()) {
            return all(target);
        }
        return Stream.concat(all(target).stream(), Stream.of(new BusyNeighbour()))
                .filter(attack -> names.contains(attack.slug())).toList();
    }

    private static List<Attack> all(Target target) {
        int rsocket = target.rsocketPort();
        return List.of(
                new OversizedFrames("127.0.0.2", rsocket, 20),
                // below the cap of 256 connections before SETUP, so that the other attacks' connections get in
                new StalledSetups("127.0.0.3", rsocket, 200),
                new UnfinishedFragments("127.0.0.4", rsocket, target.clientToken(), 1 / 3.0),
                new Slowloris("127.0.0.5", target.httpPort(), 500),
                new WrongTokens("127.0.0.6", rsocket, target.httpPort(), 100),
                new HeartbeatFlood("127.0.0.7", rsocket, target.workerToken(), 10_000),
                new NullRequests("127.0.0.8", rsocket, target.clientToken(), 100),
                new MalformedWorker("127.0.0.9", rsocket, target.workerToken()));
    }
}
