package io.taskwire.worker.capacity;

import io.taskwire.messages.WorkerConfig;
import io.taskwire.worker.connection.WorkerConfigListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The worker's capacity as permits: a task runs only with a slot, and a full worker refuses at once
 * rather than queueing. A slot is given back when the handler's thread is done, not when its result
 * is sent, so an abandoned handler that ignores interruption still counts.
 */
@Component
public class Slots implements WorkerConfigListener {

    private final AtomicInteger inUse = new AtomicInteger();
    private volatile int capacity;

    Slots(CapacityProperties properties) {
        this.capacity = properties.slots();
    }

    public boolean tryAcquire() {
        while (true) {
            int current = inUse.get();
            if (current >= capacity) {
                return false;
            }
            if (inUse.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void release() {
        inUse.decrementAndGet();
    }

    public int capacity() {
        return capacity;
    }

    public int inUse() {
        return inUse.get();
    }

    public int free() {
        return Math.max(0, capacity - inUse.get());
    }

    /** Applies the slot count the scheduler pushed; running tasks keep their slots. */
    @Override
    public void configured(WorkerConfig config) {
        capacity = config.slots();
    }
}
