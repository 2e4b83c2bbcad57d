package io.taskwire.worker.execution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.ByteBufPayload;
import io.rsocket.util.RSocketProxy;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskAssignment;
import io.taskwire.messages.TaskResult;
import io.taskwire.transport.RoutedRSocket;
import io.taskwire.worker.connection.ResponderLayer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Answers {@code task.execute}, the worker's hot path, itself: decodes the assignment straight from
 * the frame and encodes the result straight into a pooled buffer, with the application's
 * {@link ObjectMapper} that Spring's codecs use too. Spring's {@code @MessageMapping} dispatch costs
 * more per call than the rest of the path (it builds a handler method and its argument resolvers
 * for every message), so only this route skips it; every other route goes to Spring. A failure
 * leaves as the protocol's error through the route guard in front, as it did through Spring.
 */
@Component
class TaskExecuteResponder implements ResponderLayer {

    private final TaskRunner runner;
    private final ObjectReader assignments;
    private final ObjectWriter results;

    TaskExecuteResponder(TaskRunner runner, ObjectMapper mapper) {
        this.runner = runner;
        this.assignments = mapper.readerFor(TaskAssignment.class);
        this.results = mapper.writerFor(TaskResult.class);
    }

    @Override
    public RSocket wrap(RSocket handlers, RSocket toScheduler) {
        return new Responder(handlers, toScheduler);
    }

    private final class Responder extends RSocketProxy implements RoutedRSocket {

        private final RSocket toScheduler;

        Responder(RSocket handlers, RSocket toScheduler) {
            super(handlers);
            this.toScheduler = toScheduler;
        }

        @Override
        public Mono<Payload> requestResponse(Payload payload) {
            return requestResponse(payload, RouteMetadata.route(payload.metadata()));
        }

        @Override
        public Mono<Payload> requestResponse(Payload payload, String route) {
            if (!Routes.TASK_EXECUTE.equals(route)) {
                return super.requestResponse(payload);
            }
            TaskAssignment assignment;
            try {
                assignment = decode(payload.data());
            } catch (IOException | RuntimeException invalid) {
                return Mono.error(invalid);
            } finally {
                payload.release();
            }
            return runner.execute(assignment, toScheduler).map(TaskExecuteResponder.this::encode);
        }
    }

    private TaskAssignment decode(ByteBuf data) throws IOException {
        TaskAssignment assignment = assignments.readValue((InputStream) new ByteBufInputStream(data));
        if (assignment == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST,
                    "invalid TaskAssignment: expected a JSON object, got null");
        }
        return assignment;
    }

    private Payload encode(TaskResult result) {
        ByteBuf data = ByteBufAllocator.DEFAULT.buffer();
        try {
            results.writeValue((OutputStream) new ByteBufOutputStream(data), result);
            return ByteBufPayload.create(data);
        } catch (IOException | RuntimeException e) {
            data.release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }
}
