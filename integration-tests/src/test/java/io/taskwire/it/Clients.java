package io.taskwire.it;

import io.taskwire.messages.ClientHello;
import io.taskwire.messages.Json;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.Routes;
import java.time.Duration;
import org.springframework.http.codec.json.Jackson2JsonDecoder;
import org.springframework.http.codec.json.Jackson2JsonEncoder;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.messaging.rsocket.RSocketStrategies;
import org.springframework.security.rsocket.metadata.BearerTokenAuthenticationEncoder;
import org.springframework.security.rsocket.metadata.BearerTokenMetadata;
import org.springframework.util.MimeTypeUtils;

/** RSocket clients of a scheduler, JSON as the protocol says, for every end-to-end and fault test. */
public final class Clients {

    /** JSON codecs with the protocol's settings, as a client in any language would send. */
    public static final RSocketStrategies STRATEGIES = RSocketStrategies.builder()
            .encoders(encoders -> encoders.add(new Jackson2JsonEncoder(Json.mapper())))
            .encoder(new BearerTokenAuthenticationEncoder())
            .decoders(decoders -> decoders.add(new Jackson2JsonDecoder(Json.mapper())))
            .build();

    private Clients() {
    }

    /** A requester that sends the given hello, and the client token, in SETUP when first used. */
    public static RSocketRequester requester(String host, int port, ClientHello hello) {
        return RSocketRequester.builder()
                .rsocketStrategies(STRATEGIES)
                .dataMimeType(MimeTypeUtils.APPLICATION_JSON)
                .setupRoute(Routes.CLIENT_CONNECT)
                .setupData(hello)
                .setupMetadata(new BearerTokenMetadata(Tokens.CLIENT), Tokens.AUTHENTICATION)
                // senders fragment frames above 64 KiB (PROTOCOL.md section 1)
                .rsocketConnector(connector -> connector.fragment(io.taskwire.messages.Protocol.FRAGMENT_SIZE_BYTES))
                .tcp(host, port);
    }

    /** A client of this protocol version, connected (its SETUP already sent); dispose it when done. */
    public static RSocketRequester connect(String host, int port, String clientId) {
        RSocketRequester requester = requester(host, port, new ClientHello(Protocol.VERSION, clientId));
        requester.rsocketClient().source().block(Duration.ofSeconds(10));
        return requester;
    }
}
