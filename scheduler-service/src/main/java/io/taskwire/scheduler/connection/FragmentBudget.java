package io.taskwire.scheduler.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.rsocket.DuplexConnection;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.frame.CancelFrameCodec;
import io.rsocket.frame.ErrorFrameCodec;
import io.rsocket.frame.FrameHeaderCodec;
import io.rsocket.frame.FrameType;
import io.rsocket.plugins.DuplexConnectionInterceptor;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.transport.PeerErrorLog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Bounds what a peer's fragmented requests hold while RSocket reassembles them: per connection at
 * most {@code fragmented-requests} unfinished ones, {@code fragmented-size} bytes in all, and each at
 * most the payload limit plus the margin. A request past a bound gets the protocol's error at once
 * ({@code PAYLOAD_TOO_LARGE}, or {@code AT_CAPACITY} for one request too many; a fire-and-forget gets
 * nothing), RSocket is told to drop what it reassembled so far (a CANCEL for the stream), and the
 * request's remaining fragments are dropped as they come. The connection stays usable. Only requests
 * the peer starts are watched (odd stream ids, client-initiated); the frames of one connection
 * arrive on one thread, so the state needs no lock.
 */
final class FragmentBudget extends ConnectionWrapper {

    /** The interceptor that puts a budget on every connection of the server. */
    static DuplexConnectionInterceptor interceptor(InboundLimits limits, int maxPayloadBytes, MeterRegistry meters) {
        Counter refused = meters.counter("taskwire.requests.refused", "reason", "fragments");
        return (type, connection) -> type == DuplexConnectionInterceptor.Type.SOURCE
                ? new FragmentBudget(connection, limits, limits.maxRequestBytes(maxPayloadBytes), refused)
                : connection;
    }

    private final InboundLimits limits;
    private final int maxRequestBytes;
    private final Counter refused;
    /** Unfinished fragmented requests by stream id. */
    private final Map<Integer, Open> open = new HashMap<>();
    /** Refused requests whose further fragments are dropped. */
    private final Set<Integer> dropping = new HashSet<>();
    private long openBytes;

    private FragmentBudget(DuplexConnection source, InboundLimits limits, int maxRequestBytes, Counter refused) {
        super(source);
        this.limits = limits;
        this.maxRequestBytes = maxRequestBytes;
        this.refused = refused;
    }

    /**
     * The frames as the transport gives them, minus those of refused requests. The transport owns
     * each frame and releases it once it has been handled: a dropped frame is simply not passed on,
     * and a CANCEL put in a frame's place is released here once RSocket has handled it.
     */
    @Override
    public Flux<ByteBuf> receive() {
        return source.receive().transform(Operators.<ByteBuf, ByteBuf>lift((scannable, actual) -> new Inspecting(actual)));
    }

    /**
     * Passes the transport's frames on, minus those of refused requests. The transport owns each
     * frame and releases it once it has been handled: a dropped frame is simply not passed on (and
     * one more is requested), and a CANCEL put in a frame's place is released here once the
     * subscriber has handled it.
     */
    private final class Inspecting implements CoreSubscriber<ByteBuf>, Subscription {

        private final CoreSubscriber<? super ByteBuf> actual;
        private Subscription upstream;

        private Inspecting(CoreSubscriber<? super ByteBuf> actual) {
            this.actual = actual;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            upstream = subscription;
            actual.onSubscribe(this);
        }

        @Override
        public void onNext(ByteBuf frame) {
            ByteBuf passed = inspect(frame);
            if (passed == frame) {
                actual.onNext(frame);
            } else if (passed != null) {
                try {
                    actual.onNext(passed);
                } finally {
                    passed.release();
                }
            } else {
                upstream.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            actual.onError(failure);
        }

        @Override
        public void onComplete() {
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            upstream.cancel();
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }
    }

    /** @return the frame to pass on (this one, or a CANCEL in its place), or null to drop it */
    private ByteBuf inspect(ByteBuf frame) {
        int stream = FrameHeaderCodec.streamId(frame);
        if (stream == 0 || (stream & 1) == 0) {
            return frame;
        }
        FrameType type = FrameHeaderCodec.nativeFrameType(frame);
        boolean follows = FrameHeaderCodec.hasFollows(frame);
        if (!dropping.isEmpty() && dropping.contains(stream)) {
            if (!follows || type == FrameType.CANCEL) {
                dropping.remove(stream);
            }
            return null;
        }
        switch (type) {
            case REQUEST_RESPONSE, REQUEST_FNF, REQUEST_STREAM, REQUEST_CHANNEL -> {
                if (!follows) {
                    return frame;
                }
                boolean answered = type != FrameType.REQUEST_FNF;
                if (open.size() >= limits.fragmentedRequests()) {
                    refuse(stream, answered, ErrorCode.AT_CAPACITY, "this connection already has "
                            + open.size() + " unfinished fragmented requests, the most it may have");
                    dropping.add(stream);
                    return null;
                }
                open.put(stream, new Open(answered));
                return add(stream, frame, true);
            }
            case PAYLOAD -> {
                return !open.isEmpty() && open.containsKey(stream) ? add(stream, frame, follows) : frame;
            }
            case CANCEL -> {
                close(stream);
                return frame;
            }
            default -> {
                return frame;
            }
        }
    }

    private ByteBuf add(int stream, ByteBuf frame, boolean follows) {
        Open request = open.get(stream);
        int size = frame.readableBytes();
        request.bytes += size;
        openBytes += size;
        String over = request.bytes > maxRequestBytes
                ? "its fragments passed " + maxRequestBytes + " bytes, the payload limit and " + limits.frameMargin()
                        + " for metadata"
                : openBytes > limits.fragmentedSize().toBytes()
                        ? "this connection's unfinished fragmented requests passed " + limits.fragmentedSize()
                                + " together"
                        : null;
        if (over == null) {
            if (!follows) {
                close(stream);
            }
            return frame;
        }
        close(stream);
        refuse(stream, request.answered, ErrorCode.PAYLOAD_TOO_LARGE, "the request is larger than the limit: " + over);
        if (follows) {
            dropping.add(stream);
        }
        // RSocket holds the fragments so far: the CANCEL makes it release them and forget the stream
        return CancelFrameCodec.encode(source.alloc(), stream);
    }

    private void close(int stream) {
        Open request = open.remove(stream);
        if (request != null) {
            openBytes -= request.bytes;
        }
    }

    private void refuse(int stream, boolean answered, ErrorCode code, String detail) {
        refused.increment();
        PeerErrorLog.SHARED.warn("Refused a fragmented request with " + code, source.remoteAddress() + ": " + detail);
        if (answered) {
            String json = new ProtocolException(code, detail).getMessage();
            source.sendFrame(stream, ErrorFrameCodec.encode(source.alloc(), stream, new ApplicationErrorException(json)));
        }
    }

    private static final class Open {
        private final boolean answered;
        private long bytes;

        private Open(boolean answered) {
            this.answered = answered;
        }
    }
}
