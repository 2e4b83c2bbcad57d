package io.taskwire.bench.idle;

import io.taskwire.bench.Stats;
import java.util.List;
import java.util.Map;

/**
 * What one server cost with no, half and all of the idle workers connected.
 *
 * @param name the server
 * @param heapNone live heap (after a full collection), no worker connected, in bytes
 * @param heapHalf the same with half of the workers connected
 * @param heapAll the same with all of them
 * @param cpuNone CPU used with no worker, in cores (1.0 is one core busy), over the rounds
 * @param cpuAll CPU used with all workers connected and heartbeating
 * @param growth bytes of live objects by class, all workers connected less none
 */
record Footprint(String name, long heapNone, long heapHalf, long heapAll, Stats cpuNone, Stats cpuAll,
                 Map<String, Long> growth) {

    /** @return heap per worker from none to all, one-time costs of the first connection included */
    double heapPerWorker(int workers) {
        return (heapAll - heapNone) / (double) workers;
    }

    /** @return the classes that grew most, largest first */
    List<Map.Entry<String, Long>> largestGrowth(int count) {
        return growth.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(count).toList();
    }

    /** @return heap per worker from half to all: what each further worker adds */
    double marginalHeapPerWorker(int workers) {
        return (heapAll - heapHalf) / (double) (workers - workers / 2);
    }
}
