package io.taskwire.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.rsocket.frame.PayloadFrameCodec;
import io.rsocket.frame.RequestResponseFrameCodec;
import io.rsocket.frame.SetupFrameCodec;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RSocket frames written by hand over a plain socket, as a hostile peer sends them: whatever no
 * RSocket library would send (a header declaring 16 MiB, a request whose fragments never end), and
 * the first answer read back as the name of its error code.
 */
final class RawFrames {

    private static final int ERROR_FRAME = 0x0B;
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");

    private RawFrames() {
    }

    /**
     * Opens a TCP connection from one of the loopback addresses, so that the scheduler counts each
     * attack against its own source address.
     */
    static Socket open(String fromAddress, int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(5_000);
        socket.bind(new InetSocketAddress(fromAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** Closes the sockets, those already closed too. */
    static void closeAll(Iterable<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException alreadyClosed) {
                // nothing to free
            }
        }
    }

    /** @return a client SETUP frame with the token, length-prefixed */
    static byte[] clientSetup(String token) {
        ByteBuf data = Unpooled.wrappedBuffer(Json.write(new ClientHello(Protocol.VERSION, "soak"))
                .getBytes(StandardCharsets.UTF_8));
        return prefixed(SetupFrameCodec.encode(ByteBufAllocator.DEFAULT, false, 20_000, 90_000,
                Protocol.METADATA_MIME_TYPE, Protocol.DATA_MIME_TYPE,
                ByteBufPayload.create(data, RouteMetadata.encodeSetup(Routes.CLIENT_CONNECT, token))));
    }

    /** @return the first frame of a request-response to the route, with more fragments to follow */
    static byte[] firstFragment(int streamId, String route, byte[] data) {
        return prefixed(RequestResponseFrameCodec.encode(ByteBufAllocator.DEFAULT, streamId, true,
                RouteMetadata.encode(route), Unpooled.wrappedBuffer(data)));
    }

    /** @return a further fragment of a request, NEXT with more to follow */
    static byte[] nextFragment(int streamId, byte[] data) {
        return prefixed(PayloadFrameCodec.encode(ByteBufAllocator.DEFAULT, streamId, true, false, true, null,
                Unpooled.wrappedBuffer(data)));
    }

    private static byte[] prefixed(ByteBuf frame) {
        try {
            int length = frame.readableBytes();
            byte[] bytes = new byte[3 + length];
            bytes[0] = (byte) (length >>> 16);
            bytes[1] = (byte) (length >>> 8);
            bytes[2] = (byte) length;
            frame.readBytes(bytes, 3, length);
            return bytes;
        } finally {
            frame.release();
        }
    }

    /**
     * Reads frames until {@code count} ERROR frames arrived, the connection closed or the socket's
     * read timeout passed.
     *
     * @return for each ERROR frame, the {@code code} its JSON names (or its RSocket error code when
     *         it carries no JSON); then {@code "closed"} if the connection closed first, or
     *         {@code "no answer"} if the timeout passed first
     */
    static List<String> readErrors(Socket socket, int count) {
        try {
            return readErrors(socket.getInputStream(), count);
        } catch (IOException closed) {
            return List.of("closed");
        }
    }

    /** @return what {@link #readErrors(Socket, int)} says, read from the stream */
    static List<String> readErrors(InputStream stream, int count) {
        List<String> errors = new ArrayList<>();
        try {
            DataInputStream in = new DataInputStream(stream);
            while (errors.size() < count) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                byte[] frame = new byte[length];
                in.readFully(frame);
                if (length >= 10 && (frame[4] & 0xFF) >>> 2 == ERROR_FRAME) {
                    errors.add(errorName(frame));
                }
            }
        } catch (SocketTimeoutException waited) {
            errors.add("no answer");
        } catch (IOException closed) {
            errors.add("closed");
        }
        return errors;
    }

    /** @return the first answer {@link #readErrors} reads */
    static String readError(Socket socket) {
        return readErrors(socket, 1).get(0);
    }

    private static String errorName(byte[] frame) {
        Matcher code = CODE.matcher(new String(frame, 10, frame.length - 10, StandardCharsets.UTF_8));
        if (code.find()) {
            return code.group(1);
        }
        int rsocketCode = ((frame[6] & 0xFF) << 24) | ((frame[7] & 0xFF) << 16) | ((frame[8] & 0xFF) << 8) | (frame[9] & 0xFF);
        return String.format("RSocket error 0x%X", rsocketCode);
    }
}
