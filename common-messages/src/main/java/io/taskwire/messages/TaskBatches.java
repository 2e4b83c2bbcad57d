package io.taskwire.messages;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes assignments into a {@link TaskBatch} and decodes them back (PROTOCOL.md section 4).
 *
 * <p>Decoding checks everything a peer could get wrong and names it in an
 * {@link ErrorCode#INVALID_REQUEST}: a body that is not base64, that does not decompress, that is
 * not a JSON array of assignments, or whose length differs from {@code count}. A body that
 * decompresses to more than the caller's limit is refused with {@link ErrorCode#PAYLOAD_TOO_LARGE}
 * as soon as the limit is passed, so a small compressed body cannot make the receiver allocate
 * without bound.
 */
public final class TaskBatches {

    /** Zstandard's fastest level: about 550 MB/s and still about 6 times smaller on task batches. */
    private static final int ZSTD_LEVEL = 1;
    private static final int CHUNK = 16 * 1024;
    private static final boolean ZSTD_LOADS = zstdLoads();
    private static final ObjectWriter ASSIGNMENTS = Json.mapper().writerFor(TaskAssignment[].class);

    private TaskBatches() {
    }

    /**
     * @return whether this process can encode and decode {@link Encoding#ZSTD} (zstd-jni's native
     *         library loads on this platform)
     */
    public static boolean zstdAvailable() {
        return ZSTD_LOADS;
    }

    /**
     * Encodes assignments as one batch.
     *
     * @param assignments at least one assignment
     * @param encoding how to encode the body; {@link Encoding#ZSTD} only when {@link #zstdAvailable()}
     * @return the batch
     */
    public static TaskBatch encode(List<TaskAssignment> assignments, Encoding encoding) {
        try {
            return encodeArray(ASSIGNMENTS.writeValueAsBytes(assignments.toArray(TaskAssignment[]::new)),
                    assignments.size(), encoding);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write assignments as JSON", e);
        }
    }

    /**
     * Encodes a JSON array of assignments that the caller has already written (for example to
     * measure it before choosing an encoding), without writing it again.
     *
     * @param json the JSON array of {@code count} {@link TaskAssignment} objects
     * @param count how many assignments the array holds
     * @param encoding how to encode the body
     * @return the batch
     */
    public static TaskBatch encodeArray(byte[] json, int count, Encoding encoding) {
        byte[] body = switch (encoding) {
            case IDENTITY -> json;
            case GZIP -> gzip(json);
            case ZSTD -> zstd(json);
        };
        return new TaskBatch(count, encoding, Base64.getEncoder().encodeToString(body));
    }

    /**
     * Decodes a batch, refusing it whole if anything about it is wrong.
     *
     * @param batch the batch as received
     * @param maxDecodedBytes the most bytes the decoded JSON array may take (the payload limit)
     * @return exactly {@code batch.count()} assignments, in the order of the body
     * @throws ProtocolException {@link ErrorCode#INVALID_REQUEST} naming what was wrong, or
     *         {@link ErrorCode#PAYLOAD_TOO_LARGE} when the decoded body passes the limit
     */
    public static List<TaskAssignment> decode(TaskBatch batch, int maxDecodedBytes) {
        byte[] body;
        try {
            body = Base64.getDecoder().decode(batch.body());
        } catch (IllegalArgumentException notBase64) {
            throw invalid("body is not valid base64: " + notBase64.getMessage());
        }
        byte[] json = switch (batch.encoding()) {
            case IDENTITY -> capped(body, maxDecodedBytes);
            case GZIP -> inflate(batch.encoding(), body, maxDecodedBytes);
            case ZSTD -> {
                if (!ZSTD_LOADS) {
                    throw invalid("encoding zstd is not supported here; use identity or gzip");
                }
                yield inflate(batch.encoding(), body, maxDecodedBytes);
            }
        };
        List<TaskAssignment> assignments = parse(json);
        if (assignments.size() != batch.count()) {
            throw invalid("count is " + batch.count() + " but the body holds " + assignments.size() + " assignments");
        }
        return assignments;
    }

    private static List<TaskAssignment> parse(byte[] json) {
        TaskAssignment[] parsed;
        try {
            parsed = Json.mapper().readValue(json, TaskAssignment[].class);
        } catch (IOException e) {
            throw Json.invalid("TaskBatch body", e);
        }
        if (parsed == null) {
            throw invalid("body must be a JSON array of TaskAssignment, was null");
        }
        for (int i = 0; i < parsed.length; i++) {
            if (parsed[i] == null) {
                throw invalid("body[" + i + "] must be a TaskAssignment object, was null");
            }
        }
        return Arrays.asList(parsed);
    }

    private static byte[] capped(byte[] decoded, int max) {
        if (decoded.length > max) {
            throw tooLarge(max);
        }
        return decoded;
    }

    private static byte[] inflate(Encoding encoding, byte[] body, int max) {
        try (InputStream in = encoding == Encoding.GZIP
                ? new GZIPInputStream(new ByteArrayInputStream(body), CHUNK)
                : new ZstdInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, body.length * 4 + 64));
            byte[] chunk = new byte[CHUNK];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                if (out.size() + n > max) {
                    throw tooLarge(max);
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException notEncoded) {
            if (notEncoded instanceof ProtocolException protocol) {
                throw protocol;
            }
            throw invalid("body does not decode as " + encoding.wireName() + ": " + notEncoded.getMessage());
        }
    }

    private static byte[] gzip(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
        try (GZIPOutputStream gzip = new FastGzip(out)) {
            gzip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gzip a batch", e);
        }
        return out.toByteArray();
    }

    private static byte[] zstd(byte[] json) {
        if (!ZSTD_LOADS) {
            throw new IllegalStateException("zstd-jni does not load on this platform; encode as gzip");
        }
        return Zstd.compress(json, ZSTD_LEVEL);
    }

    private static boolean zstdLoads() {
        try {
            return Zstd.decompress(Zstd.compress(new byte[] {1, 2, 3}, ZSTD_LEVEL), 3).length == 3;
        } catch (LinkageError | RuntimeException unavailable) {
            return false;
        }
    }

    private static ProtocolException invalid(String why) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, "invalid TaskBatch: " + why);
    }

    private static ProtocolException tooLarge(int max) {
        return new ProtocolException(ErrorCode.PAYLOAD_TOO_LARGE,
                "TaskBatch body decodes to more than " + max + " bytes, the limit");
    }

    /** Gzip at the fastest level: the JDK's default level costs far more CPU for little gain on JSON. */
    private static final class FastGzip extends GZIPOutputStream {

        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, CHUNK);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
