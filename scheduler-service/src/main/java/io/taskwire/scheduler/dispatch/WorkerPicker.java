package io.taskwire.scheduler.dispatch;

import io.taskwire.messages.Routing;
import io.taskwire.scheduler.registry.WorkerSession;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a worker with a free slot among the eligible ones, by the task's routing strategy. Runs on
 * the dispatch thread only, so its round-robin position needs no synchronisation.
 */
class WorkerPicker {

    private int nextRoundRobin;

    /**
     * @param routing the task's routing
     * @param key the task's key (for CONSISTENT_HASH)
     * @param eligible workers that handle the type, carry the labels and accept work, in a stable order
     * @return a worker with a free slot, or null when the task must wait
     */
    WorkerSession pick(Routing routing, String key, List<WorkerSession> eligible) {
        if (eligible.isEmpty()) {
            return null;
        }
        return switch (routing.strategy()) {
            case ROUND_ROBIN -> firstFree(eligible, Math.floorMod(nextRoundRobin++, eligible.size()));
            case RANDOM -> firstFree(eligible, ThreadLocalRandom.current().nextInt(eligible.size()));
            case LEAST_LOADED -> leastLoaded(eligible);
            case CONSISTENT_HASH -> freeOrNull(highestScore(key, eligible));
            case PINNED -> freeOrNull(eligible.stream()
                    .filter(session -> session.id().equals(routing.workerId())).findFirst().orElse(null));
        };
    }

    private static WorkerSession firstFree(List<WorkerSession> eligible, int start) {
        for (int i = 0; i < eligible.size(); i++) {
            WorkerSession session = eligible.get((start + i) % eligible.size());
            if (session.freeSlots() > 0) {
                return session;
            }
        }
        return null;
    }

    private static WorkerSession leastLoaded(List<WorkerSession> eligible) {
        WorkerSession best = null;
        double bestLoad = Double.MAX_VALUE;
        for (WorkerSession session : eligible) {
            double load = (double) session.inFlight() / session.slots();
            if (session.freeSlots() > 0 && load < bestLoad) {
                best = session;
                bestLoad = load;
            }
        }
        return best;
    }

    /**
     * Rendezvous hashing: the key stays on its worker while that worker is there, and only the keys
     * of a worker that leaves move. A key whose worker is full waits for it rather than moving.
     */
    private static WorkerSession highestScore(String key, List<WorkerSession> eligible) {
        WorkerSession best = null;
        long bestScore = Long.MIN_VALUE;
        for (WorkerSession session : eligible) {
            long score = score(key, session.id());
            if (best == null || score > bestScore) {
                best = session;
                bestScore = score;
            }
        }
        return best;
    }

    static long score(String key, String workerId) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (key + '\u0000' + workerId).getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        // splitmix64 finaliser: FNV alone clusters on similar ids
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        return hash ^ (hash >>> 31);
    }

    private static WorkerSession freeOrNull(WorkerSession session) {
        return session != null && session.freeSlots() > 0 ? session : null;
    }
}
