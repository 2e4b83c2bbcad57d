package io.taskwire.bench.soak;

import io.taskwire.messages.Routes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An authenticated client opens {@value #STREAMS} {@code task.submit} requests with
 * FOLLOWS and sends each {@value #FRAGMENTS} further 64 KiB fragments, past the 1 MiB payload limit,
 * without a last one; it reads the answers, then closes the connection and starts again.
 */
final class UnfinishedFragments extends Attack {

    static final int STREAMS = 20;
    static final int FRAGMENTS = 20;
    private static final byte[] CHUNK = new byte[64 * 1024];

    static {
        Arrays.fill(CHUNK, (byte) 'a');
    }

    private final int port;
    private final String clientToken;
    private final double cyclesPerSecond;

    UnfinishedFragments(String sourceAddress, int port, String clientToken, double cyclesPerSecond) {
        super("unfinished fragments", sourceAddress);
        this.port = port;
        this.clientToken = clientToken;
        this.cyclesPerSecond = cyclesPerSecond;
    }

    @Override
    String description() {
        return String.format("a connection every %.0f s: client SETUP, %d unfinished task.submit of %d × 64 KiB each",
                1 / cyclesPerSecond, STREAMS, FRAGMENTS + 1);
    }

    @Override
    void start() {
        paced("cycle", cyclesPerSecond, this::cycle);
    }

    private void cycle() throws IOException {
        try (Socket socket = RawFrames.open(sourceAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(RawFrames.clientSetup(clientToken));
                byte[] first = ("{\"type\":\"echo\",\"payload\":\"" + new String(CHUNK, StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                for (int stream = 1; stream <= STREAMS; stream++) {
                    out.write(RawFrames.firstFragment(stream * 2 - 1, Routes.TASK_SUBMIT, first));
                }
                for (int fragment = 0; fragment < FRAGMENTS; fragment++) {
                    for (int stream = 1; stream <= STREAMS; stream++) {
                        out.write(RawFrames.nextFragment(stream * 2 - 1, CHUNK));
                    }
                }
                out.flush();
            } catch (IOException closedWhileWriting) {
                count("closed while sending");
                return;
            }
            RawFrames.readErrors(socket, STREAMS).forEach(this::count);
        }
    }
}
