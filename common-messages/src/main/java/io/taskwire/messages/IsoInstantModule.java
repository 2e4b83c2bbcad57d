package io.taskwire.messages;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Jackson's {@link Instant} handling with {@link IsoInstants} in front: registered after the
 * JavaTimeModule, so it wins; a property with its own {@code @JsonFormat}, a timestamp as a number,
 * and any text not in the protocol's form are handled by the JavaTimeModule's own code.
 */
final class IsoInstantModule extends SimpleModule {

    IsoInstantModule() {
        super("taskwire-iso-instants");
        addSerializer(Instant.class, new Serializer());
        addDeserializer(Instant.class, new Deserializer(InstantDeserializer.INSTANT));
    }

    /** Jackson's serializer, but the text of the default format comes from {@link IsoInstants}. */
    private static final class Serializer extends InstantSerializer {

        @Override
        protected String formatValue(Instant value, SerializerProvider provider) {
            String text = _formatter == null ? IsoInstants.format(value) : null;
            return text != null ? text : super.formatValue(value, provider);
        }
    }

    private static final class Deserializer extends StdScalarDeserializer<Instant> implements ContextualDeserializer {

        private final JsonDeserializer<Instant> standard;

        Deserializer(JsonDeserializer<Instant> standard) {
            super(Instant.class);
            this.standard = standard;
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant instant = IsoInstants.parse(parser.getText());
                if (instant != null) {
                    return instant;
                }
            }
            return standard.deserialize(parser, context);
        }

        /** A property that configures its own format gets Jackson's deserializer alone. */
        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
                throws JsonMappingException {
            JsonDeserializer<?> contextual = ((ContextualDeserializer) standard).createContextual(context, property);
            return contextual == standard ? this : contextual;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.DateTime;
        }
    }
}
