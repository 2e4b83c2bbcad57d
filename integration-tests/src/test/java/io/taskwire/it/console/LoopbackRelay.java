package io.taskwire.it.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A port that relays each connection to the scheduler's HTTP port from another loopback address
 * ({@code 127.0.0.<n>}), so that the scheduler sees the browser's requests come from there. Linux
 * picks 127.0.0.1 as the source of every loopback connection the browser opens, whatever address it
 * dials; the scheduler counts rejected tokens by source address, so a test that types wrong tokens
 * comes through a relay and leaves 127.0.0.1's count alone.
 */
final class LoopbackRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetAddress from;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private LoopbackRelay(ServerSocket server, InetAddress from, int targetPort) {
        this.server = server;
        this.from = from;
        this.targetPort = targetPort;
    }

    /** Relays a new port on 127.0.0.1 to the target port, the connections coming from 127.0.0.{@code n}. */
    static LoopbackRelay from(int loopback, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        LoopbackRelay relay = new LoopbackRelay(server, InetAddress.getByName("127.0.0." + loopback), targetPort);
        daemon("relay-accept-" + server.getLocalPort(), relay::acceptLoop).start();
        return relay;
    }

    /** @return the address to open the console through: {@code http://127.0.0.1:<relay port>} */
    String origin() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket browser = server.accept();
                Socket scheduler = new Socket();
                sockets.add(browser);
                sockets.add(scheduler);
                scheduler.bind(new InetSocketAddress(from, 0));
                scheduler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                daemon("relay-up", () -> pump(browser, scheduler)).start();
                daemon("relay-down", () -> pump(scheduler, browser)).start();
            } catch (IOException closedOrRefused) {
                // closed: the loop ends; refused: the browser sees its connection fail
            }
        }
    }

    private void pump(Socket in, Socket out) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream input = in.getInputStream(); OutputStream output = out.getOutputStream()) {
            for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
                output.write(buffer, 0, read);
                output.flush();
            }
        } catch (IOException ended) {
            // one side closed: the other follows below
        } finally {
            closeQuietly(in);
            closeQuietly(out);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.remove(socket);
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(this::closeQuietly);
    }
}
