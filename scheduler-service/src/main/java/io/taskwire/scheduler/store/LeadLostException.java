package io.taskwire.scheduler.store;

/** A write of a scheduler that no longer leads: another took the lead with a newer epoch, and the write changed nothing. */
public class LeadLostException extends RuntimeException {

    public LeadLostException(String message) {
        super(message);
    }
}
