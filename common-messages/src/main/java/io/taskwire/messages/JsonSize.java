package io.taskwire.messages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks a JSON value against a size limit without encoding it, in the common case: an upper bound
 * of its encoded size is added up from the tree, and only a value whose bound is over the limit is
 * encoded to be measured exactly. A payload or an output is then encoded once, when it is sent,
 * rather than once more just to be measured.
 */
public final class JsonSize {

    /** Returned for a value whose size cannot be bounded from the tree: it is measured instead. */
    private static final long UNKNOWN = Long.MAX_VALUE;

    private JsonSize() {
    }

    /**
     * @param value any JSON value
     * @param limit most bytes allowed
     * @return whether {@link Json#size(JsonNode)} of the value is at most {@code limit}
     */
    public static boolean fits(JsonNode value, long limit) {
        return bound(value, limit) <= limit || Json.size(value) <= limit;
    }

    /**
     * An upper bound of the value's size as {@link Json#mapper()} writes it; it stops adding up
     * once over {@code stopAbove}.
     *
     * @param value any JSON value
     * @param stopAbove a bound over this is returned as soon as it is known
     * @return at least the encoded size in bytes; {@link Long#MAX_VALUE} when not known from the tree
     */
    static long bound(JsonNode value, long stopAbove) {
        switch (value.getNodeType()) {
            case OBJECT:
                return objectBound(value, stopAbove);
            case ARRAY:
                return arrayBound(value, stopAbove);
            case STRING:
                return textBound(value.textValue());
            case NUMBER:
                return numberBound(value);
            case BOOLEAN:
                return 5;
            case NULL:
                return 4;
            case BINARY:
                return binaryBound(value);
            default:
                // POJO, missing: written by rules the tree does not show
                return UNKNOWN;
        }
    }

    private static long objectBound(JsonNode object, long stopAbove) {
        long total = 2;
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext() && total <= stopAbove; ) {
            Map.Entry<String, JsonNode> field = fields.next();
            total = add(total, textBound(field.getKey()) + 2, bound(field.getValue(), stopAbove));
        }
        return total;
    }

    private static long arrayBound(JsonNode array, long stopAbove) {
        long total = 2;
        for (Iterator<JsonNode> items = array.elements(); items.hasNext() && total <= stopAbove; ) {
            total = add(total, 1, bound(items.next(), stopAbove));
        }
        return total;
    }

    private static long add(long total, long separators, long item) {
        return item == UNKNOWN ? UNKNOWN : total + separators + item;
    }

    /** Quotes, and at most 6 bytes a char: an escaped control character is {@code \u001f}. */
    private static long textBound(String text) {
        return 2 + 6L * text.length();
    }

    private static long numberBound(JsonNode number) {
        // with room for quotes, should numbers be written as strings
        if (number.isInt() || number.isShort()) {
            return 2 + 11;
        }
        if (number.isLong()) {
            return 2 + 20;
        }
        if (number.isDouble() || number.isFloat()) {
            // the longest Double.toString, e.g. -2.2250738585072014E-308
            return 2 + 24;
        }
        // BigInteger, BigDecimal: their length depends on the writer's settings
        return UNKNOWN;
    }

    /** Base64 in quotes, without line feeds (Jackson's default variant). */
    private static long binaryBound(JsonNode binary) {
        try {
            return 2 + 4L * ((binary.binaryValue().length + 2) / 3);
        } catch (java.io.IOException e) {
            return UNKNOWN;
        }
    }
}
