package io.taskwire.scheduler.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rsocket.DuplexConnection;
import io.rsocket.RSocketErrorException;
import java.net.SocketAddress;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connection that passes everything to the one it wraps; the budgets that watch a connection's
 * frames override what they watch ({@link FragmentBudget} what it receives, {@link SendBacklog} what
 * it sends).
 */
abstract class ConnectionWrapper implements DuplexConnection {

    /** The connection wrapped, as the transport (or the wrapper before) gave it. */
    protected final DuplexConnection source;

    ConnectionWrapper(DuplexConnection source) {
        this.source = source;
    }

    @Override
    public void sendFrame(int streamId, ByteBuf frame) {
        source.sendFrame(streamId, frame);
    }

    @Override
    public Flux<ByteBuf> receive() {
        return source.receive();
    }

    @Override
    public void sendErrorAndClose(RSocketErrorException errorException) {
        source.sendErrorAndClose(errorException);
    }

    @Override
    public ByteBufAllocator alloc() {
        return source.alloc();
    }

    @Override
    public SocketAddress remoteAddress() {
        return source.remoteAddress();
    }

    @Override
    public void dispose() {
        source.dispose();
    }

    @Override
    public boolean isDisposed() {
        return source.isDisposed();
    }

    @Override
    public Mono<Void> onClose() {
        return source.onClose();
    }
}
