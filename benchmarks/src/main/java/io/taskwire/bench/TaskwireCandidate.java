package io.taskwire.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rsocket.ConnectionSetupPayload;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerConfig;
import io.taskwire.worker.WorkerApplication;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;

/**
 * The worker side of Taskwire's dispatch path: a real worker application, with its built-in
 * {@code echo} handler, dials a scheduler stand-in that calls {@code task.execute} over the
 * worker's connection with real {@code TaskAssignment} JSON, as the scheduler does. The stand-in
 * is a bare rsocket-java server (the same client code as the raw baseline), so the difference
 * between the two is the worker's stack: Spring messaging, route guard, metrics, slots, handler.
 */
final class TaskwireCandidate implements Candidate, FireAndForgetTarget {

    private static final int SLOTS = 256;

    private final CompletableFuture<RSocket> worker = new CompletableFuture<>();
    private final CloseableChannel standIn;
    private final ConfigurableApplicationContext application;

    TaskwireCandidate() {
        standIn = RSocketServer.create(this::accept)
                .bind(TcpServerTransport.create("localhost", 0))
                .block(Duration.ofSeconds(10));
        application = WorkerApplication.builder().run(
                "--server.port=0",
                "--taskwire.worker.id=bench-worker",
                "--taskwire.worker.slots=" + SLOTS,
                "--taskwire.worker.token=" + UUID.randomUUID().toString().replace("-", ""),
                "--taskwire.worker.scheduler.port=" + standIn.address().getPort(),
                // the stand-in does not answer worker.drain: do not wait for it when the run ends
                "--taskwire.worker.shutdown-timeout=1s",
                "--logging.level.root=ERROR");
        awaitRegistered();
    }

    private Mono<RSocket> accept(ConnectionSetupPayload setup, RSocket sendingToWorker) {
        // after the acceptor returns, as the scheduler does: accepting never waits on the worker
        Mono.defer(() -> sendingToWorker.fireAndForget(request(Routes.WORKER_CONFIG, new WorkerConfig(5_000, SLOTS))))
                .subscribe(done -> { }, failure -> { }, () -> worker.complete(sendingToWorker));
        return Mono.just(new RSocket() { });
    }

    private void awaitRegistered() {
        try {
            worker.get(30, TimeUnit.SECONDS);
            // the worker counts itself registered once worker.config has been handled
            for (int attempt = 0; attempt < 100; attempt++) {
                if (call().onErrorResume(failure -> Mono.empty()).block(Duration.ofSeconds(5)) != null) {
                    return;
                }
                LoadGenerator.sleep(Duration.ofMillis(100));
            }
            throw new IllegalStateException("the worker never ran a task");
        } catch (Exception e) {
            close();
            throw new IllegalStateException("worker did not register", e);
        }
    }

    private static Payload request(String route, Object message) {
        return JsonPayloads.of(RouteMetadata.encode(route), message);
    }

    @Override
    public String name() {
        return "Taskwire worker";
    }

    @Override
    public Mono<?> call() {
        return Mono.defer(() -> worker.join().requestResponse(request(Routes.TASK_EXECUTE, Payloads.assignment())))
                .map(RawRSocketCandidate::decode);
    }

    @Override
    public Mono<Void> fire() {
        return Mono.defer(() -> worker.join().fireAndForget(request(Routes.TASK_CANCEL, Payloads.cancel())));
    }

    /** @return {@code task.cancel} messages the worker's own metrics counted as handled */
    @Override
    public long received() {
        return application.getBean(MeterRegistry.class).find("taskwire.rsocket.requests")
                .tag("route", Routes.TASK_CANCEL).tag("side", "responder").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    @Override
    public int window() {
        return 4_096;
    }

    @Override
    public void close() {
        application.close();
        standIn.dispose();
    }
}
