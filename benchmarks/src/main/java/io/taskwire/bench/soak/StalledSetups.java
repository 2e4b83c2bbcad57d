package io.taskwire.bench.soak;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections that send the first byte of a frame and then nothing, held open and dialled again
 * whenever the scheduler closes one: they sit among the connections that have not finished SETUP.
 */
final class StalledSetups extends Attack {

    private final int port;
    private final int connections;
    private final List<Socket> held = new ArrayList<>();

    StalledSetups(String sourceAddress, int port, int connections) {
        super("stalled setups", sourceAddress);
        this.port = port;
        this.connections = connections;
    }

    @Override
    String description() {
        return connections + " connections held open, each having sent one byte of a frame, dialled again when closed";
    }

    @Override
    void stopped() {
        synchronized (held) {
            RawFrames.closeAll(held);
            held.clear();
        }
    }

    @Override
    void start() {
        paced("sweep", 2, this::sweep);
    }

    /** Opens what is missing, and notices what the scheduler closed (with or without an answer). */
    private void sweep() throws IOException {
        synchronized (held) {
            for (int i = 0; i < held.size(); i++) {
                Socket socket = held.get(i);
                String closed = closedWith(socket);
                if (closed != null) {
                    count(closed);
                    socket.close();
                    held.remove(i--);
                }
            }
            while (held.size() < connections && running()) {
                Socket socket = RawFrames.open(sourceAddress(), port);
                socket.getOutputStream().write(0);
                socket.getOutputStream().flush();
                held.add(socket);
                count("opened");
            }
        }
    }

    /** @return how the scheduler closed the connection, or null while it is open */
    private static String closedWith(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        int first;
        try {
            first = socket.getInputStream().read();
            if (first < 0) {
                return "closed";
            }
        } catch (SocketTimeoutException open) {
            return null;
        } catch (IOException reset) {
            return "closed";
        }
        socket.setSoTimeout(1_000);
        // a frame began: read it whole, its first byte put back in front
        InputStream frame = new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) first}),
                socket.getInputStream());
        return RawFrames.readErrors(frame, 1).get(0);
    }
}
