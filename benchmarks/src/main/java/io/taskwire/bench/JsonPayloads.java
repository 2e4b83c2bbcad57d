package io.taskwire.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.util.ByteBufPayload;
import io.taskwire.messages.Json;
import java.nio.charset.StandardCharsets;

/** Payloads of the protocol's JSON, as the benchmark's own clients and stand-ins write and read them. */
public final class JsonPayloads {

    private JsonPayloads() {
    }

    /** @return a payload whose data is the message's JSON and whose metadata is the one given */
    public static Payload of(ByteBuf metadata, Object message) {
        return ByteBufPayload.create(Unpooled.wrappedBuffer(Json.write(message).getBytes(StandardCharsets.UTF_8)), metadata);
    }

    /** @return the payload's data read as the type; the payload is released */
    public static <T> T read(Payload payload, Class<T> type) {
        try {
            return Json.read(ByteBufUtil.getBytes(payload.data()), type);
        } finally {
            payload.release();
        }
    }
}
