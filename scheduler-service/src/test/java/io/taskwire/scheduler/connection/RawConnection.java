package io.taskwire.scheduler.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.rsocket.metadata.AuthMetadataCodec;
import io.rsocket.metadata.CompositeMetadataCodec;
import io.rsocket.metadata.TaggingMetadataCodec;
import io.rsocket.metadata.WellKnownMimeType;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.Routes;
import io.taskwire.scheduler.support.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A TCP connection to the scheduler's RSocket port that writes frames byte by byte as the RSocket
 * spec lays them out, so that a test can send what no RSocket library would: a frame header that
 * declares 16 MiB, a fragmented request that never ends.
 */
final class RawConnection implements AutoCloseable {

    static final int SETUP = 0x01;
    static final int REQUEST_RESPONSE = 0x04;
    static final int PAYLOAD = 0x0A;
    static final int ERROR = 0x0B;
    static final int FLAG_METADATA = 0x100;
    static final int FLAG_FOLLOWS = 0x80;
    static final int FLAG_NEXT = 0x20;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawConnection(int port) throws IOException {
        this(port, 0);
    }

    /**
     * @param receiveBuffer the socket's receive buffer in bytes, set before it connects (so that a
     *        peer that does not read fills it soon); 0 for the system's default
     */
    RawConnection(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("localhost", port));
        socket.setSoTimeout(5_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Writes bytes as they are (a header, part of a frame). */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes one frame: length, stream id, type and flags, then the rest. */
    void frame(int streamId, int type, int flags, byte[] rest) throws IOException {
        write(frameBytes(streamId, type, flags, rest));
    }

    /** Writes {@code count} request-responses on streams 1, 3, 5, ... in one write, as one burst of bytes. */
    void requests(int count, String route, byte[] data) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int n = 0; n < count; n++) {
            all.write(frameBytes(2 * n + 1, REQUEST_RESPONSE, FLAG_METADATA, requestRest(route, data)));
        }
        write(all.toByteArray());
    }

    private static byte[] frameBytes(int streamId, int type, int flags, byte[] rest) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int length = 6 + rest.length;
        frame.write(length >>> 16);
        frame.write(length >>> 8);
        frame.write(length);
        frame.write(streamId >>> 24);
        frame.write(streamId >>> 16);
        frame.write(streamId >>> 8);
        frame.write(streamId);
        int typeAndFlags = (type << 10) | flags;
        frame.write(typeAndFlags >>> 8);
        frame.write(typeAndFlags);
        frame.writeBytes(rest);
        return frame.toByteArray();
    }

    /** A client SETUP with the client token, as a client in any language would send it. */
    void clientSetup() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(new byte[] {0, 1, 0, 0}); // version 1.0
        writeInt(rest, 20_000); // keepalive interval
        writeInt(rest, 90_000); // max lifetime
        byte[] metadataMime = Protocol.METADATA_MIME_TYPE.getBytes(StandardCharsets.US_ASCII);
        rest.write(metadataMime.length);
        rest.write(metadataMime);
        byte[] dataMime = Protocol.DATA_MIME_TYPE.getBytes(StandardCharsets.US_ASCII);
        rest.write(dataMime.length);
        rest.write(dataMime);
        writeMetadata(rest, metadata(Routes.CLIENT_CONNECT, TestTokens.CLIENT));
        rest.write(Json.write(new ClientHello(Protocol.VERSION, "raw-client")).getBytes(StandardCharsets.UTF_8));
        frame(0, SETUP, FLAG_METADATA, rest.toByteArray());
    }

    /** The first frame of a request whose fragments follow: route metadata and the first data bytes. */
    void firstFragment(int streamId, String route, byte[] data) throws IOException {
        request(streamId, route, data, true);
    }

    /** A request-response in one frame, or the first of its fragments. */
    void request(int streamId, String route, byte[] data, boolean follows) throws IOException {
        frame(streamId, REQUEST_RESPONSE, FLAG_METADATA | (follows ? FLAG_FOLLOWS : 0), requestRest(route, data));
    }

    private static byte[] requestRest(String route, byte[] data) {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        writeMetadata(rest, metadata(route, null));
        rest.writeBytes(data);
        return rest.toByteArray();
    }

    /** A further fragment of a request: more data, with more to follow or not. */
    void nextFragment(int streamId, byte[] data, boolean follows) throws IOException {
        frame(streamId, PAYLOAD, FLAG_NEXT | (follows ? FLAG_FOLLOWS : 0), data);
    }

    /**
     * Reads frames until one of the given type arrives on the stream.
     *
     * @return its bytes after the 6-byte header, or null if the connection closed first
     */
    byte[] awaitFrame(int streamId, int type, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        for (byte[] frame = nextFrame(deadline); frame != null; frame = nextFrame(deadline)) {
            if (streamOf(frame) == streamId && typeOf(frame) == type) {
                return java.util.Arrays.copyOfRange(frame, 6, frame.length);
            }
        }
        return null;
    }

    /**
     * Reads frames until as many of the given type have arrived, or the connection closed, or the wait ended.
     *
     * @return how many arrived
     */
    int countFrames(int type, int expected, Duration within) throws IOException {
        int seen = 0;
        long deadline = System.nanoTime() + within.toNanos();
        for (byte[] frame = nextFrame(deadline); frame != null; frame = seen < expected ? nextFrame(deadline) : null) {
            if (typeOf(frame) == type) {
                seen++;
            }
        }
        return seen;
    }

    /** @return the ERROR frames by stream id (code and message), read until there are as many as expected */
    java.util.Map<Integer, String> errors(int expected, Duration within) throws IOException {
        java.util.Map<Integer, String> errors = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + within.toNanos();
        for (byte[] frame = nextFrame(deadline); frame != null;
                frame = errors.size() < expected ? nextFrame(deadline) : null) {
            if (typeOf(frame) == ERROR) {
                errors.put(streamOf(frame), errorOf(java.util.Arrays.copyOfRange(frame, 6, frame.length)));
            }
        }
        return errors;
    }

    /** @return the next frame without its length, or null once the connection closed or the deadline passed */
    private byte[] nextFrame(long deadline) throws IOException {
        while (System.nanoTime() < deadline) {
            int length;
            try {
                int b1 = in.read();
                if (b1 < 0) {
                    return null;
                }
                length = (b1 << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            } catch (SocketTimeoutException waiting) {
                continue;
            } catch (IOException closed) {
                return null;
            }
            byte[] frame = new byte[length];
            in.readFully(frame);
            return frame;
        }
        return null;
    }

    private static int streamOf(byte[] frame) {
        return ((frame[0] & 0xFF) << 24) | ((frame[1] & 0xFF) << 16) | ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
    }

    private static int typeOf(byte[] frame) {
        return (frame[4] & 0xFF) >>> 2;
    }

    /** @return whether the scheduler closed the connection within the wait (reading and dropping what comes) */
    boolean closedWithin(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException waiting) {
                // not yet
            } catch (IOException reset) {
                return true;
            }
        }
        return false;
    }

    /** @return the error code and message of an ERROR frame's body */
    static String errorOf(byte[] body) {
        int code = ((body[0] & 0xFF) << 24) | ((body[1] & 0xFF) << 16) | ((body[2] & 0xFF) << 8) | (body[3] & 0xFF);
        return String.format("0x%03X %s", code, new String(body, 4, body.length - 4, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writeMetadata(ByteArrayOutputStream out, byte[] metadata) {
        out.write(metadata.length >>> 16);
        out.write(metadata.length >>> 8);
        out.write(metadata.length);
        out.writeBytes(metadata);
    }

    private static byte[] metadata(String route, String token) {
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        CompositeByteBuf composite = allocator.compositeBuffer();
        try {
            CompositeMetadataCodec.encodeAndAddMetadata(composite, allocator, WellKnownMimeType.MESSAGE_RSOCKET_ROUTING,
                    TaggingMetadataCodec.createRoutingMetadata(allocator, List.of(route)).getContent());
            if (token != null) {
                ByteBuf bearer = AuthMetadataCodec.encodeBearerMetadata(allocator, token.toCharArray());
                CompositeMetadataCodec.encodeAndAddMetadata(composite, allocator,
                        WellKnownMimeType.MESSAGE_RSOCKET_AUTHENTICATION, bearer);
            }
            byte[] bytes = new byte[composite.readableBytes()];
            composite.readBytes(bytes);
            return bytes;
        } finally {
            composite.release();
        }
    }
}
