package io.taskwire.it.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a random loopback port in front of another loopback port, so a test can break the
 * network between a worker and the scheduler. While cut, live connections are reset and new ones
 * are accepted and reset at once (the port stays ours); restored, it forwards again on the same port.
 */
final class TcpProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final ServerSocket server;
    private final int targetPort;
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean cut;
    private volatile Instant restoredAt;

    private TcpProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    /** Starts forwarding a new port to the target port on loopback. */
    static TcpProxy to(int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TcpProxy proxy = new TcpProxy(server, targetPort);
        ProxiedConnection.daemon("tcp-proxy-accept-" + server.getLocalPort(), proxy::acceptLoop).start();
        return proxy;
    }

    int port() {
        return server.getLocalPort();
    }

    /** Resets every live connection and every new one until {@link #restore()}. */
    synchronized void cut() {
        cut = true;
        connections.forEach(ProxiedConnection::reset);
    }

    /** Forwards new connections again. */
    synchronized void restore() {
        cut = false;
        restoredAt = Instant.now();
    }

    /** Cuts now and restores after the given time, without blocking the caller. */
    void cutFor(Duration duration) {
        cut();
        CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS).execute(this::restore);
    }

    boolean isCut() {
        return cut;
    }

    /** @return when the proxy last forwarded again after a cut, null if it never did */
    Instant restoredAt() {
        return restoredAt;
    }

    /** @return connections reset on arrival while cut */
    int refusedConnections() {
        return refused.get();
    }

    /** @return connections forwarding now */
    int liveConnections() {
        return connections.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                forward(server.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void forward(Socket downstream) {
        Socket upstream = new Socket();
        try {
            if (!cut) {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), CONNECT_TIMEOUT_MS);
            }
        } catch (IOException unreachable) {
            ProxiedConnection.reset(upstream);
            ProxiedConnection.reset(downstream);
            return;
        }
        synchronized (this) {
            if (cut) {
                refused.incrementAndGet();
                ProxiedConnection.reset(upstream);
                ProxiedConnection.reset(downstream);
                return;
            }
            ProxiedConnection connection = new ProxiedConnection(downstream, upstream, connections::remove);
            connections.add(connection);
            connection.start();
        }
    }
}
