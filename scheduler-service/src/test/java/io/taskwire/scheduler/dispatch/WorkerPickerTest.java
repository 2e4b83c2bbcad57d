package io.taskwire.scheduler.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskwire.messages.Routing;
import io.taskwire.messages.RoutingStrategy;
import io.taskwire.messages.WorkerHello;
import io.taskwire.scheduler.registry.WorkerSession;
import io.taskwire.scheduler.support.FakeWorker;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.rsocket.RSocketRequester;

class WorkerPickerTest {

    private static final Routing HASH = new Routing(RoutingStrategy.CONSISTENT_HASH, null, null);
    private static final int KEYS = 1000;

    private final WorkerPicker picker = new WorkerPicker();

    @Test
    void removingAWorkerMovesOnlyTheKeysThatWorkerHeld() {
        WorkerSession a = session("w-a", 8);
        WorkerSession b = session("w-b", 8);
        WorkerSession c = session("w-c", 8);
        Map<String, String> before = owners(List.of(a, b, c));
        Map<String, String> after = owners(List.of(a, c));

        assertThat(before.values()).as("every worker owns some keys").contains("w-a", "w-b", "w-c");
        before.forEach((key, owner) -> {
            if (owner.equals("w-b")) {
                assertThat(after.get(key)).as("key %s of the removed worker", key).isIn("w-a", "w-c");
            } else {
                assertThat(after.get(key)).as("key %s stays on its worker", key).isEqualTo(owner);
            }
        });
    }

    @Test
    void addingAWorkerMovesSomeKeysAndOnlyToTheNewWorker() {
        WorkerSession a = session("w-a", 8);
        WorkerSession b = session("w-b", 8);
        Map<String, String> before = owners(List.of(a, b));
        Map<String, String> after = owners(List.of(a, b, session("w-c", 8)));

        long moved = before.keySet().stream().filter(key -> !before.get(key).equals(after.get(key))).count();
        assertThat(moved).as("about a third of the keys move").isBetween(KEYS / 5L, KEYS / 2L);
        before.forEach((key, owner) -> assertThat(after.get(key)).as("key %s", key).isIn(owner, "w-c"));
    }

    @Test
    void consistentHashWaitsForAFullWorkerInsteadOfMovingTheKey() {
        WorkerSession a = session("w-a", 1);
        WorkerSession b = session("w-b", 1);
        List<WorkerSession> both = List.of(a, b);
        WorkerSession owner = picker.pick(HASH, "tenant-7", both);
        assertThat(owner.tryReserveSlot()).isTrue();

        assertThat(picker.pick(HASH, "tenant-7", both)).isNull();
    }

    @Test
    void roundRobinTakesEachWorkerInTurnAndSkipsFullOnes() {
        WorkerSession a = session("w-a", 2);
        WorkerSession b = session("w-b", 2);
        WorkerSession c = session("w-c", 2);
        List<WorkerSession> all = List.of(a, b, c);

        List<String> firstRound = List.of(pick(Routing.DEFAULT, all), pick(Routing.DEFAULT, all), pick(Routing.DEFAULT, all));
        assertThat(firstRound).containsExactlyInAnyOrder("w-a", "w-b", "w-c");

        b.tryReserveSlot();
        b.tryReserveSlot();
        for (int i = 0; i < 6; i++) {
            assertThat(pick(Routing.DEFAULT, all)).isNotEqualTo("w-b");
        }
    }

    @Test
    void leastLoadedPicksTheSmallestShareOfSlotsInUse() {
        WorkerSession small = session("w-a", 2);
        WorkerSession large = session("w-b", 10);
        small.tryReserveSlot();
        large.tryReserveSlot();
        large.tryReserveSlot();
        Routing leastLoaded = new Routing(RoutingStrategy.LEAST_LOADED, null, null);

        assertThat(pick(leastLoaded, List.of(small, large))).as("2/10 in use beats 1/2").isEqualTo("w-b");
    }

    @Test
    void pinnedPicksOnlyTheNamedWorker() {
        List<WorkerSession> others = List.of(session("w-a", 4), session("w-b", 4));
        Routing pinned = new Routing(RoutingStrategy.PINNED, "w-z", null);

        assertThat(picker.pick(pinned, null, others)).isNull();
        assertThat(pick(pinned, List.of(others.get(0), session("w-z", 4), others.get(1)))).isEqualTo("w-z");
    }

    private String pick(Routing routing, List<WorkerSession> eligible) {
        return picker.pick(routing, null, eligible).id();
    }

    private Map<String, String> owners(List<WorkerSession> eligible) {
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            owners.put(key, picker.pick(HASH, key, eligible).id());
        }
        return owners;
    }

    /** A session as the registry makes it; its constructor is the registry's own, so reach it reflectively. */
    private static WorkerSession session(String id, int slots) {
        try {
            Constructor<WorkerSession> constructor = WorkerSession.class.getDeclaredConstructor(
                    WorkerHello.class, RSocketRequester.class, Instant.class, long.class);
            constructor.setAccessible(true);
            return constructor.newInstance(FakeWorker.hello(id, slots, "echo"), null, Instant.now(), System.nanoTime());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a WorkerSession", e);
        }
    }
}
