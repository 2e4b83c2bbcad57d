package io.taskwire.it.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** One connection through a {@link TcpProxy}: bytes pumped both ways on two daemon threads; when either side ends, both close. */
final class ProxiedConnection {

    private final Socket downstream;
    private final Socket upstream;
    private final Consumer<ProxiedConnection> ended;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param ended told once, when the connection ends either way */
    ProxiedConnection(Socket downstream, Socket upstream, Consumer<ProxiedConnection> ended) {
        this.downstream = downstream;
        this.upstream = upstream;
        this.ended = ended;
    }

    void start() {
        try {
            // RSocket frames are small and latency matters: no Nagle delay on the extra hop
            downstream.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            reset();
            return;
        }
        daemon("tcp-proxy-up-" + downstream.getPort(), () -> pump(downstream, upstream)).start();
        daemon("tcp-proxy-down-" + downstream.getPort(), () -> pump(upstream, downstream)).start();
    }

    /** Resets both sides, as a broken network path would look to each end. */
    void reset() {
        if (closed.compareAndSet(false, true)) {
            reset(downstream);
            reset(upstream);
            ended.accept(this);
        }
    }

    /** Closes with RST rather than FIN. */
    static void reset(Socket socket) {
        try {
            if (!socket.isClosed() && socket.isConnected()) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException gone) {
            // one side went away: end the other too
        } finally {
            endBoth();
        }
    }

    private void endBoth() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(downstream);
            closeQuietly(upstream);
            ended.accept(this);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
