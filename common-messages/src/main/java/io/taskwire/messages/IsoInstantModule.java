package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
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
        addSerializer(Instant.class, new Serializer(InstantSerializer.INSTANCE));
        addDeserializer(Instant.class, new Deserializer(InstantDeserializer.INSTANT));
    }

    /**
     * In front of Jackson's serializer: writes the text of the default format from {@link IsoInstants}
     * and hands everything else (timestamps as numbers, a property's own pattern or shape) to it.
     */
    static final class Serializer extends StdSerializer<Instant> implements ContextualSerializer {

        private final JsonSerializer<Instant> standard;

        Serializer(JsonSerializer<Instant> standard) {
            super(Instant.class);
            this.standard = standard;
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            String text = provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS) ? null
                    : IsoInstants.format(value);
            if (text != null) {
                generator.writeString(text);
            } else {
                standard.serialize(value, generator, provider);
            }
        }

        @Override
        public void serializeWithType(Instant value, JsonGenerator generator, SerializerProvider provider,
                                      TypeSerializer types) throws IOException {
            standard.serializeWithType(value, generator, provider, types);
        }

        @SuppressWarnings("unchecked")
        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            JsonSerializer<Instant> contextual = (JsonSerializer<Instant>)
                    ((ContextualSerializer) standard).createContextual(provider, property);
            JsonFormat.Value format = findFormatOverrides(provider, property, Instant.class);
            boolean defaultText = format == null || (!format.hasPattern()
                    && (format.getShape() == JsonFormat.Shape.ANY || format.getShape() == JsonFormat.Shape.STRING));
            return defaultText ? new Serializer(contextual) : contextual;
        }

        @Override
        public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type) throws JsonMappingException {
            standard.acceptJsonFormatVisitor(visitor, type);
        }
    }

    static final class Deserializer extends StdScalarDeserializer<Instant> implements ContextualDeserializer {

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
