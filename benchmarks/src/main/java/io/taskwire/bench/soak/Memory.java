package io.taskwire.bench.soak;

import io.taskwire.bench.cluster.SchedulerProcess;

/**
 * The scheduler's memory at one moment, read as an operator would.
 *
 * @param direct direct buffers, {@code jvm.buffer.memory.used{id=direct}}
 * @param directInUse the part of Netty's pool that buffers in use pin, {@code netty.allocator.memory.pinned{memory.type=direct}};
 *        the pool keeps the rest for reuse
 * @param heap heap in use, {@code jvm.memory.used{area=heap}} (garbage included unless just collected)
 * @param committed heap the JVM holds from the system, {@code jvm.memory.committed{area=heap}}
 * @param resident the process's resident set size
 */
record Memory(double direct, double directInUse, double heap, double committed, double resident) {

    static Memory of(SchedulerProcess scheduler) {
        return new Memory(scheduler.meter("jvm.buffer.memory.used", "id:direct"),
                scheduler.meter("netty.allocator.memory.pinned", "memory.type:direct"),
                scheduler.meter("jvm.memory.used", "area:heap"), scheduler.meter("jvm.memory.committed", "area:heap"),
                scheduler.process().residentBytes());
    }

    /** @return the larger of each reading */
    Memory max(Memory other) {
        return new Memory(Math.max(direct, other.direct), Math.max(directInUse, other.directInUse), Math.max(heap, other.heap),
                Math.max(committed, other.committed), Math.max(resident, other.resident));
    }

    /** @return this snapshot with the heap in use replaced by the live heap */
    Memory withHeap(double liveHeap) {
        return new Memory(direct, directInUse, liveHeap, committed, resident);
    }
}
