package io.taskwire.bench.cluster;

import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.buffer.ByteBufUtil;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.taskwire.bench.JsonPayloads;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.ScheduleRef;
import io.taskwire.messages.ScheduleSpec;
import io.taskwire.messages.ScheduleView;
import io.taskwire.messages.TaskSpec;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WatchFilter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A client of the protocol (PROTOCOL.md section 3) on bare rsocket-java, as a client in another
 * language would be: one connection, a {@code client.connect} SETUP with the client token, JSON.
 */
public final class SchedulerClient implements AutoCloseable {

    private static final ObjectReader VIEWS = Json.mapper().readerForListOf(TaskView.class);

    private final RSocket rsocket;

    private SchedulerClient(RSocket rsocket) {
        this.rsocket = rsocket;
    }

    public static SchedulerClient connect(int port, String clientToken) {
        RSocket rsocket = RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .setupPayload(JsonPayloads.of(RouteMetadata.encodeSetup(Routes.CLIENT_CONNECT, clientToken),
                        new ClientHello(Protocol.VERSION, "benchmark")))
                .keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(60))
                .connect(TcpClientTransport.create("localhost", port))
                .block(Duration.ofSeconds(10));
        return new SchedulerClient(rsocket);
    }

    /** {@code task.submit}: one task, answered once accepted. */
    public Mono<TaskView> submit(TaskSpec spec) {
        return Mono.defer(() -> rsocket.requestResponse(request(Routes.TASK_SUBMIT, spec)))
                .map(reply -> JsonPayloads.read(reply, TaskView.class));
    }

    /** {@code task.submit.batch}: the tasks in one request, answered once all are accepted. */
    public Mono<List<TaskView>> submitBatch(List<TaskSpec> specs) {
        return Mono.defer(() -> rsocket.requestResponse(request(Routes.TASK_SUBMIT_BATCH, specs)))
                .map(SchedulerClient::views);
    }

    /** {@code schedule.put}: creates or replaces a schedule, answered once it is stored. */
    public Mono<ScheduleView> putSchedule(ScheduleSpec spec) {
        return Mono.defer(() -> rsocket.requestResponse(request(Routes.SCHEDULE_PUT, spec)))
                .map(reply -> JsonPayloads.read(reply, ScheduleView.class));
    }

    /** {@code schedule.delete}: answered with the schedule's last view once its deletion is stored. */
    public Mono<ScheduleView> deleteSchedule(String scheduleId) {
        return Mono.defer(() -> rsocket.requestResponse(request(Routes.SCHEDULE_DELETE, new ScheduleRef(scheduleId))))
                .map(reply -> JsonPayloads.read(reply, ScheduleView.class));
    }

    /** {@code task.watch}: the raw JSON of every event, so the caller decodes only what it needs. */
    public Flux<String> watch(WatchFilter filter) {
        return Flux.defer(() -> rsocket.requestStream(request(Routes.TASK_WATCH, filter)))
                .map(event -> {
                    try {
                        return event.getDataUtf8();
                    } finally {
                        event.release();
                    }
                });
    }

    private static Payload request(String route, Object data) {
        return JsonPayloads.of(RouteMetadata.encode(route), data);
    }

    private static List<TaskView> views(Payload reply) {
        try {
            return VIEWS.readValue(ByteBufUtil.getBytes(reply.data()));
        } catch (IOException e) {
            throw new IllegalStateException("not a list of TaskView: " + reply.getDataUtf8(), e);
        } finally {
            reply.release();
        }
    }

    @Override
    public void close() {
        rsocket.dispose();
    }
}
