package io.taskwire.worker.connection;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The worker's connection to the scheduler: who it says it is in the hello, where it dials, and how
 * long it waits.
 *
 * @param id the worker's id, unique among live workers; {@code <host>-<pid>} when blank
 * @param host what the worker reports as its host; the machine's name when blank
 * @param labels labels tasks can select this worker by ({@code routing.labels})
 * @param scheduler where the scheduler listens
 * @param keepaliveInterval RSocket keepalive interval declared in SETUP (1 s to 60 s)
 * @param keepaliveMaxLifetime RSocket keepalive max lifetime declared in SETUP (3 s to 300 s)
 * @param registrationTimeout how long to wait for {@code worker.config} after SETUP before trying again
 * @param token the worker token presented at SETUP (env {@code TASKWIRE_WORKER_TOKEN}); without one,
 *        only a scheduler in insecure development mode accepts the worker
 */
@ConfigurationProperties("taskwire.worker")
public record ConnectionProperties(
        String id,
        String host,
        @DefaultValue Map<String, String> labels,
        @DefaultValue Scheduler scheduler,
        @DefaultValue("2s") Duration keepaliveInterval,
        @DefaultValue("6s") Duration keepaliveMaxLifetime,
        @DefaultValue("10s") Duration registrationTimeout,
        String token) {

    public ConnectionProperties {
        host = host == null || host.isBlank() ? localHostName() : host;
        id = id == null || id.isBlank() ? host + "-" + ManagementFactory.getRuntimeMXBean().getPid() : id;
    }

    /**
     * @param host the scheduler's host name or address; with TLS, the name its certificate must carry
     * @param port the scheduler's RSocket port
     * @param tls TLS to the scheduler
     * @param connectTimeout how long one dial waits for the TCP connection: an address that does not
     *        answer (a scheduler's pod or container gone with its address) is given up on after this,
     *        and the next dial resolves the host again
     * @param addresses the schedulers' addresses as {@code host:port}, leader and standbys in any
     *        order (PROTOCOL.md section 7); when empty, {@code host} and {@code port} are the one address
     */
    public record Scheduler(@DefaultValue("localhost") String host, @DefaultValue("7000") int port,
                            @DefaultValue Tls tls, @DefaultValue("5s") Duration connectTimeout,
                            @DefaultValue List<String> addresses) {

        public Scheduler {
            for (String address : addresses) {
                Address.parse(address);
            }
        }

        /** A scheduler's {@code host} (with TLS, the name its certificate must carry) and RSocket {@code port}. */
        public record Address(String host, int port) {

            static Address parse(String address) {
                int colon = address.lastIndexOf(':');
                try {
                    if (colon > 0 && colon < address.length() - 1) {
                        int port = Integer.parseInt(address.substring(colon + 1).trim());
                        if (port > 0 && port < 65536) {
                            return new Address(address.substring(0, colon).trim(), port);
                        }
                    }
                } catch (NumberFormatException notANumber) {
                    // said below
                }
                throw new IllegalArgumentException("taskwire.worker.scheduler.addresses takes host:port entries, one was '"
                        + address + "'");
            }

            @Override
            public String toString() {
                return host + ":" + port;
            }
        }

        /** @return where to dial, in the order to try them */
        public List<Address> addressList() {
            return addresses.isEmpty() ? List.of(new Address(host, port))
                    : addresses.stream().map(Address::parse).toList();
        }
    }

    /**
     * TLS to the scheduler: the server certificate is checked against the bundle's trust material and
     * its name against {@code scheduler.host}; TLS 1.3 and 1.2 only unless the bundle says otherwise.
     *
     * @param enabled whether to dial with TLS
     * @param bundle the name of a Spring SSL bundle ({@code spring.ssl.bundle.pem.<name>} or
     *        {@code .jks.<name>}): its trust store holds the cluster's CA; its key store, when set, is
     *        the worker's client certificate for mutual TLS
     */
    public record Tls(@DefaultValue("false") boolean enabled, String bundle) {
        public Tls {
            if (enabled && (bundle == null || bundle.isBlank())) {
                throw new IllegalArgumentException("taskwire.worker.scheduler.tls.enabled needs "
                        + "taskwire.worker.scheduler.tls.bundle, the name of a spring.ssl.bundle holding the CA");
            }
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
