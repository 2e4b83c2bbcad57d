package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * SETUP data of a client ({@link Routes#CLIENT_CONNECT}).
 *
 * @param protocolVersion the protocol version the client speaks
 * @param clientId the client's name, for logs and metrics
 */
public record ClientHello(@JsonProperty(required = true) int protocolVersion, String clientId) {

    public ClientHello {
        Check.id(clientId, "clientId");
    }
}
