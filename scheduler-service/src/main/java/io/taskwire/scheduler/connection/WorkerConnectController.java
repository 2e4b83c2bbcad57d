package io.taskwire.scheduler.connection;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Protocol;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.Routes;
import io.taskwire.messages.WorkerHello;
import io.taskwire.scheduler.registry.WorkerRegistry;
import io.taskwire.scheduler.registry.WorkerSession;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.rsocket.RSocketRequester;
import org.springframework.messaging.rsocket.annotation.ConnectMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code worker.connect}: validates the hello, registers the worker with the connection it dialed
 * in on, and, once the SETUP is accepted, tells it so with {@code worker.config}. The session leaves
 * the registry the moment the connection closes.
 */
@Controller
class WorkerConnectController {

    private final WorkerRegistry registry;
    private final WorkerConfigSender configs;

    WorkerConnectController(WorkerRegistry registry, WorkerConfigSender configs) {
        this.registry = registry;
        this.configs = configs;
    }

    @ConnectMapping(Routes.WORKER_CONNECT)
    void connect(@Payload WorkerHello hello, RSocketRequester requester) {
        if (hello.protocolVersion() != Protocol.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "this scheduler speaks protocol version "
                    + Protocol.VERSION + ", the worker " + hello.protocolVersion());
        }
        WorkerSession session = registry.register(hello, requester);
        requester.rsocket().onClose()
                .doFinally(signal -> registry.remove(session, "connection closed"))
                .subscribe(null, e -> { });
        // the SETUP is accepted only when this method returns: the config goes out after that, on another thread
        configs.send(session);
    }
}
