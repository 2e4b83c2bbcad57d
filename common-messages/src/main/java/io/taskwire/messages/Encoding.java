package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Encoding of a {@link TaskBatch} body. */
public enum Encoding {
    /** Plain JSON; every worker accepts it. */
    @JsonProperty("identity") IDENTITY("identity"),
    /** Gzip; every worker accepts it. */
    @JsonProperty("gzip") GZIP("gzip"),
    /** Zstandard; only sent to a worker whose hello lists {@code zstd}. */
    @JsonProperty("zstd") ZSTD("zstd");

    private final String wireName;

    Encoding(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name on the wire, as in {@link TaskBatch#encoding()} and {@link WorkerHello#encodings()} */
    public String wireName() {
        return wireName;
    }
}
