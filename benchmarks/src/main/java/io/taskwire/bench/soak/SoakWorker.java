package io.taskwire.bench.soak;

import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.taskwire.bench.JsonPayloads;
import io.taskwire.bench.cluster.WorkerConnection;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHeartbeat;
import io.taskwire.messages.WorkerHello;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/** The connection of a worker the soak plays, from the attack's own loopback address ({@link WorkerConnection}). */
final class SoakWorker {

    private SoakWorker() {
    }

    /**
     * @return a worker connection, its SETUP sent; {@code responder} answers the scheduler's calls
     */
    static Mono<RSocket> connect(String sourceAddress, int port, String token, String workerId, int slots,
                                 List<String> taskTypes, RSocket responder) {
        WorkerHello hello = new WorkerHello(Protocol.VERSION, workerId, "soak-host", slots, taskTypes, Map.of(),
                "soak", List.of());
        TcpClient tcp = TcpClient.newConnection().host("127.0.0.1").port(port)
                .bindAddress(() -> new InetSocketAddress(sourceAddress, 0));
        return WorkerConnection.connect(tcp, token, hello, responder);
    }

    /** @return a {@code worker.heartbeat} of the worker */
    static Payload heartbeat(String workerId, long seq, int slots) {
        return JsonPayloads.of(RouteMetadata.encode(Routes.WORKER_HEARTBEAT),
                new WorkerHeartbeat(workerId, seq, Instant.now(), 0, slots, 0.1, 64L << 20, 512L << 20));
    }
}
