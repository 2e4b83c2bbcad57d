package io.taskwire.scheduler.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.rsocket.DuplexConnection;
import io.rsocket.frame.FrameLengthCodec;
import io.rsocket.plugins.DuplexConnectionInterceptor;
import io.taskwire.transport.PeerErrorLog;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.util.unit.DataSize;

/**
 * Bounds what the scheduler holds for a peer that does not read what it is sent. rsocket-java queues
 * a connection's outgoing frames without limit in front of Netty (which takes 128 at a time and holds
 * those until the socket accepts them), so a peer that keeps asking and reads slowly, or not at all
 * (replies to its requests, the events of a watch it asked for without bound), would keep them all in
 * direct memory. Each connection counts the bytes RSocket gave it to send and the bytes Netty took;
 * with what Netty still holds, that is its unread backlog. Past {@code read-pause-size} the scheduler
 * stops reading the connection's requests, so that the peer can ask for no more, and reads on once
 * the backlog is below half of it. The connection is closed, which releases everything queued for it,
 * when a frame takes the backlog past {@code unread-size} anyway (replies to requests already read,
 * events), or when a pause lasts {@code unread-timeout}: the peer has read too little for that long.
 */
final class SendBacklog {

    private static final long MIN_PAUSE_BYTES = 256 * 1024;

    private final Map<SocketAddress, Count> counts = new ConcurrentHashMap<>();
    private final long pauseAt;
    private final long resumeBelow;
    private final long limit;
    private final DataSize unreadSize;
    private final Duration unreadTimeout;
    private final AtomicInteger paused = new AtomicInteger();
    private final Counter closed;

    SendBacklog(InboundLimits limits, MeterRegistry meters) {
        this.unreadSize = limits.unreadSize();
        this.limit = unreadSize.toBytes();
        this.pauseAt = limits.readPauseSize().toBytes();
        this.resumeBelow = pauseAt / 2;
        this.unreadTimeout = limits.unreadTimeout();
        if (pauseAt < MIN_PAUSE_BYTES || pauseAt >= limit) {
            throw new IllegalArgumentException("taskwire.scheduler.inbound.read-pause-size must be at least 256KB and less"
                    + " than unread-size (" + unreadSize + "), was " + limits.readPauseSize());
        }
        this.closed = meters.counter("taskwire.connections.dropped", "reason", "unread");
        Gauge.builder("taskwire.connections.paused", paused, AtomicInteger::get)
                .description("RSocket connections whose requests are not read while their peer has too much unread")
                .register(meters);
    }

    /** The Netty side, one per connection, added to its pipeline before RSocket sees the connection. */
    Count newConnection(Channel channel) {
        Count count = new Count(channel);
        counts.put(channel.remoteAddress(), count);
        channel.closeFuture().addListener(done -> {
            counts.remove(channel.remoteAddress(), count);
            count.closed();
        });
        return count;
    }

    /** The RSocket side: every connection's outgoing frames are counted against its Netty side. */
    DuplexConnectionInterceptor interceptor() {
        return (type, connection) -> {
            if (type != DuplexConnectionInterceptor.Type.SOURCE) {
                return connection;
            }
            Count count = counts.get(connection.remoteAddress());
            return count == null ? connection : new Counted(connection, count);
        };
    }

    /**
     * A connection's backlog: bytes given to send, less bytes Netty took, plus what Netty holds. It
     * sees every write Netty gets, and the socket becoming writable again, to read on in time.
     */
    final class Count extends ChannelDuplexHandler {

        /** The handler's name in the pipeline. */
        static final String NAME = "taskwire.sendBacklog";

        private final Channel channel;
        private final AtomicLong queued = new AtomicLong();
        private final AtomicBoolean reading = new AtomicBoolean(true);
        /** Pauses so far: a pause that is still the latest when its time is up closes the connection. */
        private final AtomicLong pauses = new AtomicLong();
        private final AtomicBoolean closing = new AtomicBoolean();

        private Count(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof ByteBuf bytes) {
                queued.addAndGet(-bytes.readableBytes());
            }
            super.write(ctx, msg, promise);
            resumeIfDrained();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            if (channel.isWritable()) {
                resumeIfDrained();
            }
            super.channelWritabilityChanged(ctx);
        }

        private void add(int frameBytes) {
            queued.addAndGet(frameBytes + FrameLengthCodec.FRAME_LENGTH_SIZE);
            if (closing.get()) {
                return;
            }
            long backlog = backlog();
            if (backlog > limit) {
                close("more than " + unreadSize + " of replies and events waiting");
            } else if (backlog > pauseAt && reading.compareAndSet(true, false)) {
                long pause = pauses.incrementAndGet();
                paused.incrementAndGet();
                channel.config().setAutoRead(false);
                if (closing.get()) {
                    resume();
                    return;
                }
                // the writes that drain the backlog read on; this catches one that ran before the pause was set
                channel.eventLoop().execute(this::resumeIfDrained);
                channel.eventLoop().schedule(() -> {
                    if (!reading.get() && pauses.get() == pause) {
                        close(backlog() + " bytes of replies and events unread for " + unreadTimeout.toMillis() + " ms");
                    }
                }, unreadTimeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private void close(String why) {
            if (closing.compareAndSet(false, true)) {
                closed.increment();
                PeerErrorLog.SHARED.warn("Closed a connection whose peer did not read what it was sent",
                        channel.remoteAddress() + ": " + why + ", " + heldByNetty() + " bytes of them past RSocket's queue");
                channel.close();
            }
        }

        /** The connection closed: what it was sent is released, and it counts as paused no more. */
        private void closed() {
            closing.set(true);
            resume();
        }

        private void resumeIfDrained() {
            if (!reading.get() && backlog() < resumeBelow) {
                resume();
            }
        }

        private void resume() {
            if (reading.compareAndSet(false, true)) {
                paused.decrementAndGet();
                channel.config().setAutoRead(true);
            }
        }

        private long backlog() {
            return queued.get() + heldByNetty();
        }

        private long heldByNetty() {
            ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
            return buffer == null ? 0 : buffer.totalPendingWriteBytes();
        }
    }

    /** The connection RSocket sends through, counting each frame before it is queued. */
    private static final class Counted extends ConnectionWrapper {

        private final Count count;

        private Counted(DuplexConnection source, Count count) {
            super(source);
            this.count = count;
        }

        @Override
        public void sendFrame(int streamId, ByteBuf frame) {
            // counted first: Netty may take the frame before sendFrame returns
            count.add(frame.readableBytes());
            source.sendFrame(streamId, frame);
        }
    }
}
