package io.taskwire.messages;

/**
 * What a schedule does when a fire time comes while the task it fired before is not final
 * (PROTOCOL.md section 8).
 */
public enum OverlapPolicy {
    /** Fire anyway: the tasks run side by side. */
    ALLOW,
    /** Do not fire this time (the default). */
    SKIP,
    /** Fire once when the previous task ends, for the first fire time that came meanwhile. */
    BUFFER_ONE
}
