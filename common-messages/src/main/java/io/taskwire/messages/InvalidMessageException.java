package io.taskwire.messages;

/** A message breaks a rule of the protocol; thrown by record constructors, naming the field. */
public class InvalidMessageException extends IllegalArgumentException {

    private final String field;

    /**
     * @param field the offending field, as it is named on the wire
     * @param problem what is wrong with it, completing "field ..." (e.g. "is required")
     */
    public InvalidMessageException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    /** @return the offending field, as it is named on the wire */
    public String field() {
        return field;
    }
}
