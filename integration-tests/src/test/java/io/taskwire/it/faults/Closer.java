package io.taskwire.it.faults;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test started, closed in reverse order after it however it ended; one failing close does
 * not keep the others from running (worker processes must never outlive a test).
 */
final class Closer implements AutoCloseable {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** @return the resource, to be closed after the test */
    <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
