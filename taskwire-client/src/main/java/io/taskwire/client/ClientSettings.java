package io.taskwire.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslContext;
import io.rsocket.plugins.InterceptorRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a {@link TaskwireClient} connects and how long it tries; built by {@link TaskwireClient.Builder}.
 *
 * @param addresses the schedulers, tried in turn until one leads
 * @param token the client token presented in SETUP; null for none
 * @param clientId the name the scheduler logs for this client
 * @param mapper writes payloads and reads outputs
 * @param requestTimeout how long one call may take, retries included, before it fails {@code UNAVAILABLE}
 * @param connectTimeout how long one dial may take
 * @param firstBackoff the wait before the first retry; it doubles up to {@code maxBackoff}
 * @param maxBackoff the longest wait between two retries
 * @param keepAliveInterval how often the connection sends KEEPALIVE
 * @param keepAliveMaxLifetime how long without an answer before the connection counts as dead
 * @param sslContext TLS for the connection; null for plain TCP
 * @param interceptors rsocket-java interceptors of each connection (metrics); may do nothing
 * @param signer signs the SETUP and every request; null for none
 */
record ClientSettings(List<SchedulerAddress> addresses, String token, String clientId, ObjectMapper mapper,
                      Duration requestTimeout, Duration connectTimeout, Duration firstBackoff, Duration maxBackoff,
                      Duration keepAliveInterval, Duration keepAliveMaxLifetime, SslContext sslContext,
                      Consumer<InterceptorRegistry> interceptors, RequestSigner signer) {

    /** @return composite metadata for a frame of this route and data, signed when a signer is set */
    ByteBuf metadata(ByteBuf routeMetadata, String route, ByteBuf data) {
        if (signer == null) {
            return routeMetadata;
        }
        try {
            return signer.sign(routeMetadata, route, data);
        } finally {
            routeMetadata.release();
        }
    }
}
