package io.taskwire.bench.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Before SETUP, a frame header that declares 16 MiB ({@code ff ff fc}, stream 0, SETUP),
 * then 256 KiB of random bytes; the answer is read, then the connection closed.
 */
final class OversizedFrames extends Attack {

    private static final byte[] HEADER = HexFormat.of().parseHex("fffffc00000000040000010000");
    private static final int THREADS = 4;

    private final int port;
    private final double perSecond;

    OversizedFrames(String sourceAddress, int port, double perSecond) {
        super("oversized frames", sourceAddress);
        this.port = port;
        this.perSecond = perSecond;
    }

    @Override
    String description() {
        return String.format("%.0f connections/s, each a frame header declaring 16 MiB before SETUP and 256 KiB of it",
                perSecond);
    }

    @Override
    void start() {
        for (int i = 0; i < THREADS; i++) {
            paced(Integer.toString(i), perSecond / THREADS, this::once);
        }
    }

    private void once() throws IOException {
        byte[] body = new byte[256 * 1024];
        ThreadLocalRandom.current().nextBytes(body);
        try (Socket socket = RawFrames.open(sourceAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(HEADER);
                out.write(body);
                out.flush();
            } catch (IOException refusedWhileWriting) {
                // the scheduler may answer and close before the bytes are all written
            }
            count(RawFrames.readError(socket));
        }
    }
}
