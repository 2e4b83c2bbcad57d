package io.taskwire.scheduler.connection;

import io.taskwire.messages.ClientHello;
import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.rsocket.annotation.ConnectMapping;
import org.springframework.stereotype.Controller;

/** {@code client.connect}: accepts a client that speaks this protocol version. */
@Controller
class ClientConnectController {

    private static final Logger log = LoggerFactory.getLogger(ClientConnectController.class);

    @ConnectMapping(Routes.CLIENT_CONNECT)
    void connect(@Payload ClientHello hello) {
        if (hello.protocolVersion() != Protocol.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "this scheduler speaks protocol version "
                    + Protocol.VERSION + ", the client " + hello.protocolVersion());
        }
        log.debug("Client {} connected", hello.clientId());
    }
}
