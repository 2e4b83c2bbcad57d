package io.taskwire.scheduler.leadership;

import io.taskwire.scheduler.task.Task;
import java.util.List;

/**
 * This scheduler took the lead: its ledger holds the unfinished tasks of the store, and dispatch may
 * go on with them.
 *
 * @param epoch the epoch taken with the lead
 * @param restored the unfinished tasks loaded from the store, as they were there
 * @param leaseExpired {@link System#nanoTime()} when the lease before this one expired or was given
 *        up, as the store's clock dated it
 */
public record LeadershipAcquired(long epoch, List<Task> restored, long leaseExpired) {
}
