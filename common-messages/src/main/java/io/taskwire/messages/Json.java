package io.taskwire.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Arrays;

/**
 * The JSON settings every Taskwire peer uses, and the reading of JSON into messages with errors
 * that name the field.
 *
 * <p>Timestamps are ISO-8601 strings, absent optional fields are left out, unknown fields are
 * ignored, a missing primitive is an error (never a silent 0), and the parser refuses deep nesting
 * and huge numbers or strings before they cost memory.
 */
public final class Json {

    /** Deepest nesting of arrays and objects accepted in one document. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest number literal accepted, in characters. */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Longest string value accepted, in characters. */
    public static final int MAX_STRING_LENGTH = Protocol.DEFAULT_MAX_PAYLOAD_BYTES;

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private Json() {
    }

    /** @return a shared mapper with the protocol's settings; do not reconfigure it */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Applies the protocol's settings to a mapper (for example one built by Spring Boot).
     *
     * @param mapper the mapper to configure
     * @return the same mapper
     */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        // after the JavaTimeModule, so that its faster Instant handling wins
        mapper.registerModule(new IsoInstantModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        refuseCoercion(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Boolean);
        refuseCoercion(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
        refuseCoercion(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer,
                CoercionInputShape.Float);
        refuseCoercion(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .build());
        return mapper;
    }

    /** A JSON value of the wrong kind is an error: no "8" for 8, no 7 for "7", no 1 for true. */
    private static void refuseCoercion(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /**
     * Reads a message, turning every JSON problem into {@link ErrorCode#INVALID_REQUEST}.
     *
     * @param json the JSON bytes
     * @param type the message type
     * @param <T> the message type
     * @return the message
     * @throws ProtocolException with a message naming the field that was wrong
     */
    public static <T> T read(byte[] json, Class<T> type) {
        T value;
        try {
            value = MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw invalid(type.getSimpleName(), e);
        }
        if (value == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "invalid " + type.getSimpleName()
                    + ": expected a JSON object, got null");
        }
        return value;
    }

    /**
     * Writes a value as JSON.
     *
     * @param value the value
     * @return its JSON text
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Measures a value's JSON encoding without keeping it.
     *
     * @param value any JSON value
     * @return its size in bytes as this mapper writes it
     */
    public static long size(JsonNode value) {
        CountingStream counter = new CountingStream();
        try {
            MAPPER.writeValue(counter, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot measure a JSON value", e);
        }
        return counter.count;
    }

    /**
     * Turns a JSON reading failure into the protocol's {@code INVALID_REQUEST} error.
     *
     * @param what the name of what was being read, for the message (e.g. "TaskSpec")
     * @param failure the failure from Jackson, or anything else
     * @return the protocol error naming the field and what was wrong with it
     */
    public static ProtocolException invalid(String what, Throwable failure) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, describe(what, failure), failure);
    }

    /**
     * Describes a JSON reading failure for a human: which field, and what was wrong.
     *
     * @param what the name of what was being read
     * @param failure the failure
     * @return a one-line description
     */
    public static String describe(String what, Throwable failure) {
        if (failure instanceof StreamConstraintsException limit) {
            return "invalid " + what + ": " + firstLine(limit.getOriginalMessage());
        }
        if (failure instanceof JsonParseException parse) {
            return "malformed JSON in " + what + at(parse.getLocation()) + ": " + firstLine(parse.getOriginalMessage());
        }
        if (failure instanceof JsonMappingException mapping) {
            return describeMapping(what, mapping);
        }
        if (failure instanceof InvalidMessageException invalid) {
            return "invalid " + what + ": " + invalid.getMessage();
        }
        return "invalid " + what + ": " + firstLine(String.valueOf(failure.getMessage()));
    }

    private static String describeMapping(String what, JsonMappingException e) {
        String path = path(e);
        String prefix = "invalid " + what + (path.isEmpty() ? "" : " at " + path);
        if (e instanceof ValueInstantiationException instantiation
                && instantiation.getCause() instanceof InvalidMessageException invalid) {
            String inner = path.isEmpty() ? "" : " at " + path;
            return "invalid " + instantiation.getType().getRawClass().getSimpleName() + inner + ": " + invalid.getMessage();
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return prefix + ": unknown value '" + format.getValue() + "', expected one of "
                    + Arrays.toString(format.getTargetType().getEnumConstants());
        }
        if (e instanceof MismatchedInputException mismatch) {
            String original = String.valueOf(mismatch.getOriginalMessage());
            if (original.startsWith("Missing required creator property")) {
                String field = original.replaceAll("^Missing required creator property '([^']*)'.*$", "$1");
                return "invalid " + what + ": " + (path.isEmpty() ? field : path) + " is required";
            }
            if (original.startsWith("Trailing token")) {
                return "invalid " + what + ": unexpected content after the JSON value";
            }
            if (original.startsWith("No content to map")) {
                return "invalid " + what + ": the data is empty";
            }
            if (original.startsWith("Cannot map `null` into type")) {
                return prefix + ": must not be null";
            }
            if (mismatch.getTargetType() != null) {
                return prefix + ": expected " + describeType(mismatch.getTargetType());
            }
        }
        return prefix + ": " + firstLine(e.getOriginalMessage());
    }

    private static String describeType(Class<?> type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 UTC timestamp";
        }
        return "a " + type.getSimpleName() + " object";
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static final class CountingStream extends java.io.OutputStream {

        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
