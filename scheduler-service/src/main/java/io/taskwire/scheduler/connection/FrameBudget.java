package io.taskwire.scheduler.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.rsocket.RSocketErrorException;
import io.rsocket.exceptions.ConnectionErrorException;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.frame.ErrorFrameCodec;
import io.rsocket.frame.FrameLengthCodec;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.scheduler.security.AuthenticationFailures;
import io.taskwire.transport.PeerErrorLog;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sits in a connection's Netty pipeline before RSocket's length codec and reads each frame's
 * 3-byte length as the bytes pass, buffering nothing. A frame longer than the limit is refused at
 * its header, before a byte of it is buffered: before the connection's first frame (its SETUP) is
 * complete the limit is {@code setup-frame-size}, after it the payload limit plus the margin. The
 * peer gets an ERROR frame with the protocol's JSON ({@code REJECTED_SETUP} before SETUP, a
 * connection error after it) and the connection is closed. It also holds one of the
 * {@code pending-setups} places until the first frame is complete: a connection over that count is
 * refused at once, and so is a connection from an address that presented too many rejected tokens
 * ({@link AuthenticationFailures}), whose count it feeds: it reads the connection's first outgoing
 * frame, which is the refusal when the SETUP's token was rejected.
 */
final class FrameBudget extends ChannelDuplexHandler {

    /** The handler's name in the pipeline. */
    static final String NAME = "taskwire.frameBudget";
    private static final int ERROR_FRAME_TYPE = 0x0B;

    /** What all connections of one server share: the count of those still before their SETUP. */
    static final class Shared {
        private final AtomicInteger pendingSetups = new AtomicInteger();
        private final InboundLimits limits;
        private final int setupFrameBytes;
        private final int maxFrameBytes;
        private final Counter tooLarge;
        private final Counter tooMany;
        private final AuthenticationFailures authentication;

        Shared(InboundLimits limits, int maxPayloadBytes, AuthenticationFailures authentication, MeterRegistry meters) {
            this.limits = limits;
            this.authentication = authentication;
            this.setupFrameBytes = (int) limits.setupFrameSize().toBytes();
            this.maxFrameBytes = limits.maxRequestBytes(maxPayloadBytes);
            this.tooLarge = meters.counter("taskwire.connections.refused", "code", ErrorCode.PAYLOAD_TOO_LARGE.name());
            this.tooMany = meters.counter("taskwire.connections.refused", "code", ErrorCode.AT_CAPACITY.name());
            Gauge.builder("taskwire.connections.pending", pendingSetups, AtomicInteger::get)
                    .description("RSocket connections that have not sent their SETUP yet").register(meters);
        }

        FrameBudget newConnection() {
            return new FrameBudget(this);
        }
    }

    private final Shared shared;
    private boolean pending;
    private boolean setupDone;
    private boolean refused;
    private boolean firstWriteSeen;
    private int headerBytesRead;
    private int length;
    private long bodyBytesLeft;

    private FrameBudget(Shared shared) {
        this.shared = shared;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        String address = AuthenticationFailures.addressOf(ctx.channel().remoteAddress());
        if (shared.authentication.refuses(address)) {
            refused = true;
            shared.tooMany.increment();
            ctx.channel().eventLoop().execute(() -> refuse(ctx, new RejectedSetupException(new ProtocolException(
                    ErrorCode.AT_CAPACITY, shared.authentication.refusal()).getMessage()), null, null));
            return;
        }
        if (shared.pendingSetups.incrementAndGet() > shared.limits.pendingSetups()) {
            shared.pendingSetups.decrementAndGet();
            shared.tooMany.increment();
            refused = true;
            // once the transport has set the connection up, so that its sender sees a close, not an abort
            ctx.channel().eventLoop().execute(() -> refuse(ctx, new RejectedSetupException(new ProtocolException(
                    ErrorCode.AT_CAPACITY, "more than " + shared.limits.pendingSetups()
                    + " connections are waiting for their SETUP; try again").getMessage()),
                    "Refused a connection: too many connections before SETUP",
                    String.valueOf(ctx.channel().remoteAddress())));
            return;
        }
        pending = true;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        leavePending();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        leavePending();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes && !scan(ctx, bytes)) {
            bytes.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Watches the connection's first outgoing frame: a SETUP refused as {@code UNAUTHORIZED} counts
     * against the peer's address in {@link AuthenticationFailures}.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!firstWriteSeen) {
            firstWriteSeen = true;
            if (msg instanceof ByteBuf frame && isUnauthorizedRejection(frame)) {
                shared.authentication.failed(AuthenticationFailures.addressOf(ctx.channel().remoteAddress()));
            }
        }
        ctx.write(msg, promise);
    }

    /** @return whether the length-prefixed frame is an ERROR REJECTED_SETUP whose JSON says UNAUTHORIZED */
    private static boolean isUnauthorizedRejection(ByteBuf frame) {
        int start = frame.readerIndex();
        int headerEnd = start + FrameLengthCodec.FRAME_LENGTH_SIZE + 6;
        if (frame.writerIndex() < headerEnd + 4
                || ((frame.getUnsignedByte(start + FrameLengthCodec.FRAME_LENGTH_SIZE + 4) >> 2) != ERROR_FRAME_TYPE)
                || frame.getInt(headerEnd) != ErrorFrameCodec.REJECTED_SETUP) {
            return false;
        }
        String message = frame.toString(headerEnd + 4, frame.writerIndex() - headerEnd - 4, StandardCharsets.UTF_8);
        return message.contains("\"code\":\"" + ErrorCode.UNAUTHORIZED.name() + "\"");
    }

    /** @return false when a frame header declared more than the limit (the connection is then refused) */
    private boolean scan(ChannelHandlerContext ctx, ByteBuf bytes) {
        int i = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (i < end) {
            if (bodyBytesLeft > 0) {
                int skipped = (int) Math.min(bodyBytesLeft, end - i);
                i += skipped;
                bodyBytesLeft -= skipped;
                if (bodyBytesLeft == 0) {
                    frameDone();
                }
                continue;
            }
            length = (length << 8) | (bytes.getByte(i++) & 0xFF);
            if (++headerBytesRead < FrameLengthCodec.FRAME_LENGTH_SIZE) {
                continue;
            }
            int limit = setupDone ? shared.maxFrameBytes : shared.setupFrameBytes;
            if (length > limit) {
                tooLarge(ctx, length, limit);
                return false;
            }
            bodyBytesLeft = length;
            headerBytesRead = 0;
            length = 0;
            if (bodyBytesLeft == 0) {
                frameDone();
            }
        }
        return true;
    }

    private void frameDone() {
        if (!setupDone) {
            setupDone = true;
            leavePending();
        }
    }

    private void tooLarge(ChannelHandlerContext ctx, int declared, int limit) {
        shared.tooLarge.increment();
        String detail = setupDone
                ? "a frame of " + declared + " bytes is over the limit of " + limit
                        + " bytes; senders fragment frames above 64 KiB (PROTOCOL.md section 1)"
                : "a frame of " + declared + " bytes before SETUP is over the limit of " + limit + " bytes";
        String json = new ProtocolException(ErrorCode.PAYLOAD_TOO_LARGE, detail).getMessage();
        refuse(ctx, setupDone ? new ConnectionErrorException(json) : new RejectedSetupException(json),
                "Closed a connection: a frame over the limit", ctx.channel().remoteAddress() + ": " + detail);
    }

    private void refuse(ChannelHandlerContext ctx, RSocketErrorException error, String kind, String detail) {
        refused = true;
        leavePending();
        if (kind != null) {
            PeerErrorLog.SHARED.warn(kind, detail);
        }
        ByteBuf frame = ErrorFrameCodec.encode(ctx.alloc(), 0, error);
        ctx.writeAndFlush(FrameLengthCodec.encode(ctx.alloc(), frame.readableBytes(), frame))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void leavePending() {
        if (pending) {
            pending = false;
            shared.pendingSetups.decrementAndGet();
        }
    }
}
