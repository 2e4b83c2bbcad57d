package io.taskwire.messages;

import java.util.List;
import java.util.Map;

/** Constructor checks shared by the message records; each failure names the field. */
final class Check {

    private Check() {
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidMessageException(field, "is required");
        }
        return value;
    }

    static String id(String value, String field) {
        required(value, field);
        return optionalId(value, field);
    }

    static String optionalId(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new InvalidMessageException(field, "must not be blank");
        }
        if (value.length() > Protocol.MAX_ID_LENGTH) {
            throw new InvalidMessageException(field, "must be at most " + Protocol.MAX_ID_LENGTH + " characters");
        }
        return value;
    }

    static int atLeast(int value, int min, String field) {
        if (value < min) {
            throw new InvalidMessageException(field, "must be at least " + min + " (was " + value + ")");
        }
        return value;
    }

    static long atLeast(long value, long min, String field) {
        if (value < min) {
            throw new InvalidMessageException(field, "must be at least " + min + " (was " + value + ")");
        }
        return value;
    }

    static Long optionalAtLeast(Long value, long min, String field) {
        return value == null ? null : atLeast(value.longValue(), min, field);
    }

    static Integer optionalAtLeast(Integer value, int min, String field) {
        return value == null ? null : atLeast(value.intValue(), min, field);
    }

    static List<String> ids(List<String> values, String field) {
        required(values, field);
        for (int i = 0; i < values.size(); i++) {
            id(values.get(i), field + "[" + i + "]");
        }
        return List.copyOf(values);
    }

    static Map<String, String> labels(Map<String, String> labels, String field) {
        if (labels == null) {
            return Map.of();
        }
        labels.forEach((key, value) -> {
            id(key, field + " key");
            required(value, field + "." + key);
        });
        return Map.copyOf(labels);
    }

    static <T> List<T> list(List<T> values, String field) {
        required(values, field);
        for (int i = 0; i < values.size(); i++) {
            required(values.get(i), field + "[" + i + "]");
        }
        return List.copyOf(values);
    }
}
