package io.taskwire.scheduler.store;

/**
 * The lead among the schedulers sharing a store (PROTOCOL.md section 7).
 *
 * @param holder the id of the scheduler process that holds it
 * @param address the address that scheduler advertises to workers and clients ({@code host:port})
 * @param epoch the epoch taken with the lead: the fence epoch of its attempts
 */
public record Lead(String holder, String address, long epoch) {
}
