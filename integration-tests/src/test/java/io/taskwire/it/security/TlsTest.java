package io.taskwire.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.ClientTransport;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.it.Tokens;
import io.taskwire.it.faults.InProcessScheduler;
import io.taskwire.it.faults.WorkerProcess;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.RouteMetadata;
import io.taskwire.messages.Routes;
import io.taskwire.messages.TaskStatus;
import io.taskwire.messages.TaskView;
import io.taskwire.messages.WorkerHello;
import io.taskwire.worker.connection.ConnectionProperties;
import io.taskwire.worker.connection.SchedulerTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;

/**
 * The scheduler's RSocket port under mutual TLS, with certificates made for this run: a worker with a
 * certificate from the cluster's CA gets in and runs tasks; no certificate, one from another CA, an
 * expired one, plaintext, and a scheduler certificate for another name all fail at the handshake,
 * and nothing reaches the application (no connection opened or refused is counted).
 */
class TlsTest {

    @TempDir
    static Path dir;

    static Pki.Authority clusterCa;
    static Pki.Issued workerCertificate;
    static Pki.Issued foreignCertificate;
    static Pki.Issued expiredCertificate;
    static InProcessScheduler scheduler;

    @BeforeAll
    static void startSchedulerWithMutualTls() {
        clusterCa = Pki.authority(dir, "cluster-ca");
        Pki.Issued server = clusterCa.server("scheduler", "localhost");
        workerCertificate = clusterCa.client("worker");
        expiredCertificate = clusterCa.expiredClient("expired");
        foreignCertificate = Pki.authority(dir, "other-ca").client("foreign");
        scheduler = InProcessScheduler.startWith(
                "--spring.rsocket.server.ssl.bundle=scheduler",
                "--spring.rsocket.server.ssl.client-auth=need",
                "--spring.ssl.bundle.pem.scheduler.keystore.certificate=" + uri(server.certificate()),
                "--spring.ssl.bundle.pem.scheduler.keystore.private-key=" + uri(server.privateKey()),
                "--spring.ssl.bundle.pem.scheduler.truststore.certificate=" + uri(clusterCa.certificateFile),
                "--spring.ssl.bundle.pem.scheduler.options.enabled-protocols=TLSv1.3,TLSv1.2");
    }

    @AfterAll
    static void stop() {
        scheduler.close();
    }

    @Test
    void aWorkerWithACertificateFromTheClusterCaRegistersAndRunsTasks() throws Exception {
        try (WorkerProcess worker = WorkerProcess.start("localhost", "tls-worker", 2, scheduler.rsocketPort(),
                "--taskwire.worker.scheduler.tls.enabled=true",
                "--taskwire.worker.scheduler.tls.bundle=cluster",
                "--spring.ssl.bundle.pem.cluster.keystore.certificate=" + uri(workerCertificate.certificate()),
                "--spring.ssl.bundle.pem.cluster.keystore.private-key=" + uri(workerCertificate.privateKey()),
                "--spring.ssl.bundle.pem.cluster.truststore.certificate=" + uri(clusterCa.certificateFile))) {
            worker.awaitRegistered(scheduler.registry(), Duration.ofSeconds(30));

            HttpHeaders json = new HttpHeaders();
            json.setContentType(MediaType.APPLICATION_JSON);
            TaskView view = Tokens.http().postForObject("http://localhost:" + scheduler.httpPort()
                            + "/api/v1/tasks?waitMs=10000",
                    new HttpEntity<>("{\"type\":\"echo\",\"payload\":{\"over\":\"tls\"}}", json), TaskView.class);

            assertThat(view.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(view.workerId()).isEqualTo("tls-worker");
        }
    }

    @Test
    void theSameDialWithTheClusterCertificateGetsIn() {
        long before = applicationConnections();
        RSocket connection = dial("localhost", workerCertificate, "tls-control").block(Duration.ofSeconds(10));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.registry().find("tls-control").isPresent());
            assertThat(applicationConnections()).isEqualTo(before + 1);
        } finally {
            connection.dispose();
        }
    }

    @Test
    void noClientCertificateFailsTheHandshake() {
        assertRefusedBeforeTheApplication(dial("localhost", null, "tls-none"), "tls-none");
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() {
        assertRefusedBeforeTheApplication(dial("localhost", foreignCertificate, "tls-foreign"), "tls-foreign");
    }

    @Test
    void anExpiredCertificateFailsTheHandshake() {
        assertRefusedBeforeTheApplication(dial("localhost", expiredCertificate, "tls-expired"), "tls-expired");
    }

    @Test
    void aSchedulerCertificateForAnotherNameFailsTheHandshake() {
        // the certificate names localhost; 127.0.0.1 is the same machine under a name it does not carry
        assertRefusedBeforeTheApplication(dial("127.0.0.1", workerCertificate, "tls-hostname"), "tls-hostname");
    }

    @Test
    void plaintextIsClosed() {
        Mono<RSocket> plain = connector("tls-plain").connect(TcpClientTransport.create("localhost", scheduler.rsocketPort()));
        assertRefusedBeforeTheApplication(plain, "tls-plain");
    }

    private void assertRefusedBeforeTheApplication(Mono<RSocket> dialing, String workerId) {
        long before = applicationConnections();
        RSocket connection;
        try {
            connection = dialing.block(Duration.ofSeconds(10));
        } catch (RuntimeException handshakeFailed) {
            connection = null;
        }
        if (connection != null) {
            // under TLS 1.3 the server checks the client's certificate after the client finished its
            // side of the handshake: the connection opens, then the server's alert closes it
            RSocket open = connection;
            await().atMost(Duration.ofSeconds(6)).until(open::isDisposed);
        }
        assertThat(scheduler.registry().find(workerId)).isEmpty();
        assertThat(applicationConnections()).as("connections the application saw (opened or refused)").isEqualTo(before);
    }

    private long applicationConnections() {
        MeterRegistry meters = scheduler.bean(MeterRegistry.class);
        return (long) (meters.find("taskwire.connections.opened").counters().stream().mapToDouble(Counter::count).sum()
                + meters.find("taskwire.connections.refused").counters().stream().mapToDouble(Counter::count).sum());
    }

    private Mono<RSocket> dial(String host, Pki.Issued clientCertificate, String workerId) {
        PemSslStoreDetails key = clientCertificate == null ? null
                : PemSslStoreDetails.forCertificate(uri(clientCertificate.certificate()))
                        .withPrivateKey(uri(clientCertificate.privateKey()));
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        bundles.registerBundle("test", SslBundle.of(new PemSslStoreBundle(key,
                PemSslStoreDetails.forCertificate(uri(clusterCa.certificateFile)))));
        ConnectionProperties.Scheduler dialing = new ConnectionProperties.Scheduler(host, scheduler.rsocketPort(),
                new ConnectionProperties.Tls(true, "test"), Duration.ofSeconds(5), List.of());
        ClientTransport transport = new SchedulerTransport(dialing, bundles)
                .create(new ConnectionProperties.Scheduler.Address(host, scheduler.rsocketPort()));
        return connector(workerId).connect(transport);
    }

    private static RSocketConnector connector(String workerId) {
        WorkerHello hello = new WorkerHello(Protocol.VERSION, workerId, "localhost", 1, List.of("echo"), Map.of(),
                "test", null);
        return RSocketConnector.create()
                .dataMimeType(Protocol.DATA_MIME_TYPE)
                .metadataMimeType(Protocol.METADATA_MIME_TYPE)
                .setupPayload(ByteBufPayload.create(Unpooled.wrappedBuffer(Json.write(hello).getBytes()),
                        RouteMetadata.encodeSetup(Routes.WORKER_CONNECT, Tokens.WORKER)));
    }

    private static String uri(Path file) {
        return "file:" + file.toAbsolutePath();
    }
}
