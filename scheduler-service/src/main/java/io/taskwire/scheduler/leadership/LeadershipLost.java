package io.taskwire.scheduler.leadership;

/**
 * This scheduler stepped down from the lead: another scheduler took it, or its lease ran out
 * before it could renew it. Dispatch stops and its workers are disconnected now; it closes once the
 * store answers, and starts again as a standby ({@link Relaunch}).
 *
 * @param epoch the epoch it led with
 * @param why why it stepped down
 */
public record LeadershipLost(long epoch, String why) {
}
