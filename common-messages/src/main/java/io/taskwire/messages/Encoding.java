package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Encoding of a {@link TaskBatch} body. */
public enum Encoding {
    /** Plain JSON; every worker accepts it. */
    @JsonProperty("identity") IDENTITY,
    /** Gzip; every worker accepts it. */
    @JsonProperty("gzip") GZIP,
    /** Zstandard; only sent to a worker whose hello lists {@code zstd}. */
    @JsonProperty("zstd") ZSTD
}
