package io.taskwire.scheduler.console.overview;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} samples, the oldest overwritten first: the console's history in
 * constant memory, however long the scheduler runs. One thread adds; any thread reads.
 */
final class SampleRing<T> {

    private final Object[] samples;
    private int next;
    private int size;

    SampleRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a ring holds at least one sample, not " + capacity);
        }
        samples = new Object[capacity];
    }

    synchronized void add(T sample) {
        samples[next] = sample;
        next = (next + 1) % samples.length;
        size = Math.min(size + 1, samples.length);
    }

    /** @return the samples held, the oldest first */
    @SuppressWarnings("unchecked")
    synchronized List<T> toList() {
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add((T) samples[(next - size + i + samples.length) % samples.length]);
        }
        return list;
    }

    int capacity() {
        return samples.length;
    }
}
