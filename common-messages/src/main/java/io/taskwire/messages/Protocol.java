package io.taskwire.messages;

/** Constants of the wire protocol that are not routes: version, MIME types, limits. */
public final class Protocol {

    /** The protocol version this contract implements; a SETUP with another one is refused. */
    public static final int VERSION = 1;

    /** Data MIME type declared in SETUP; a {@code charset=utf-8} parameter is allowed. */
    public static final String DATA_MIME_TYPE = "application/json";

    /** Metadata MIME type declared in SETUP. */
    public static final String METADATA_MIME_TYPE = "message/x.rsocket.composite-metadata.v0";

    /** MIME type of the routing entry inside composite metadata. */
    public static final String ROUTING_MIME_TYPE = "message/x.rsocket.routing.v0";

    /** MIME type of the bearer-token entry inside SETUP's composite metadata. */
    public static final String AUTHENTICATION_MIME_TYPE = "message/x.rsocket.authentication.v0";

    /** Default TCP port of the scheduler's RSocket server. */
    public static final int DEFAULT_PORT = 7000;

    /** Default limit on the data of one request, after reassembly, without metadata. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

    /** Room kept for the message wrapping a {@code payload} or {@code output} value. */
    public static final int ENVELOPE_RESERVE_BYTES = 4 * 1024;

    /** Frames above this size are fragmented by senders. */
    public static final int FRAGMENT_SIZE_BYTES = 64 * 1024;

    /** Longest id (taskId, workerId, clientId, keys) in characters. */
    public static final int MAX_ID_LENGTH = 128;

    /** Bounds on the keepalive interval declared in SETUP, in milliseconds. */
    public static final long MIN_KEEPALIVE_INTERVAL_MS = 1_000;
    public static final long MAX_KEEPALIVE_INTERVAL_MS = 60_000;

    /** Bounds on the keepalive max lifetime declared in SETUP, in milliseconds. */
    public static final long MIN_KEEPALIVE_LIFETIME_MS = 3_000;
    public static final long MAX_KEEPALIVE_LIFETIME_MS = 300_000;

    /** A connection that sends no valid SETUP within this many milliseconds is closed. */
    public static final long SETUP_DEADLINE_MS = 5_000;

    private Protocol() {
    }

    /**
     * Whether a declared data MIME type is JSON as the protocol requires.
     *
     * @param mimeType the MIME type string from SETUP
     * @return true for {@code application/json}, with or without a {@code charset=utf-8} parameter
     */
    public static boolean isJson(String mimeType) {
        if (mimeType == null) {
            return false;
        }
        String[] parts = mimeType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(DATA_MIME_TYPE)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
            if (!parameter.equals("charset=utf-8") && !parameter.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }
}
