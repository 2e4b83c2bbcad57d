package io.taskwire.transport;

import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;

/**
 * A bean whose work is one reactive subscription: made when the context starts, disposed when it
 * stops. Subclasses say what to subscribe to.
 */
public abstract class SubscriptionLifecycle implements SmartLifecycle {

    private volatile Disposable running;

    /** @return the subscription that does this bean's work while it runs */
    protected abstract Disposable subscribe();

    @Override
    public void start() {
        running = subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable current = running;
        return current != null && !current.isDisposed();
    }
}
