package io.taskwire.scheduler.support;

import io.rsocket.RSocket;
import io.taskwire.messages.ClientHello;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.Routes;
import java.time.Duration;
import org.springframework.http.codec.json.Jackson2JsonDecoder;
import org.springframework.http.codec.json.Jackson2JsonEncoder;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.security.rsocket.metadata.BearerTokenAuthenticationEncoder;
import org.springframework.security.rsocket.metadata.BearerTokenMetadata;
import org.springframework.messaging.rsocket.RSocketStrategies;
import org.springframework.util.MimeTypeUtils;
import reactor.core.publisher.Mono;

/** Builds the peers tests talk to the scheduler with: clients and fake workers, JSON as the protocol says. */
public final class Peers {

    /** JSON codecs with the protocol's settings, as a client in any language would send. */
    public static final RSocketStrategies STRATEGIES = RSocketStrategies.builder()
            .encoders(encoders -> encoders.add(new Jackson2JsonEncoder(Json.mapper())))
            .encoder(new BearerTokenAuthenticationEncoder())
            .decoders(decoders -> decoders.add(new Jackson2JsonDecoder(Json.mapper())))
            .build();

    private Peers() {
    }

    /**
     * A client connected to the scheduler (SETUP {@code client.connect}); the SETUP is sent before return.
     *
     * @param port the scheduler's RSocket port
     * @param clientId the client's id
     * @return the requester; dispose it when done
     */
    public static RSocketRequester client(int port, String clientId) {
        return client(port, clientId, TestTokens.CLIENT);
    }

    /**
     * A client connected with the given token; the SETUP is sent before return (and may be refused).
     *
     * @param port the scheduler's RSocket port
     * @param clientId the client's id
     * @param token the bearer token to present
     * @return the requester; dispose it when done
     */
    public static RSocketRequester client(int port, String clientId, String token) {
        RSocketRequester requester = unconnected(port, clientId, token);
        requester.rsocketClient().source().block(Duration.ofSeconds(10));
        return requester;
    }

    /**
     * Sends one client SETUP with the given token on one connection and waits for that connection to
     * close, as a refused SETUP does.
     *
     * @return the error the connection closed with (the refusal), or null if it closed without one
     * @throws AssertionError unless it closed within 5 s
     */
    public static Throwable setupRefusal(int port, String clientId, String token) {
        RSocketRequester requester = unconnected(port, clientId, token);
        try {
            // one subscription: asking the client for its source again after the close would dial anew
            return requester.rsocketClient().source()
                    .flatMap(RSocket::onClose)
                    .then(Mono.<Throwable>empty())
                    .onErrorResume(Mono::just)
                    .timeout(Duration.ofSeconds(5), Mono.error(new AssertionError("the connection stayed open")))
                    .block();
        } finally {
            requester.dispose();
        }
    }

    private static RSocketRequester unconnected(int port, String clientId, String token) {
        return RSocketRequester.builder()
                .rsocketStrategies(STRATEGIES)
                .dataMimeType(MimeTypeUtils.APPLICATION_JSON)
                .setupRoute(Routes.CLIENT_CONNECT)
                .setupData(new ClientHello(Protocol.VERSION, clientId))
                .setupMetadata(new BearerTokenMetadata(token), TestTokens.AUTHENTICATION)
                // senders fragment frames above 64 KiB (PROTOCOL.md section 1)
                .rsocketConnector(connector -> connector.fragment(Protocol.FRAGMENT_SIZE_BYTES))
                .tcp("localhost", port);
    }
}
