package io.taskwire.messages;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * The protocol's one timestamp form, {@code 2026-11-24T07:49:00.123Z}, read and written without
 * {@link java.time.format.DateTimeFormatter}, which costs more per message than the rest of decoding
 * an assignment. Only years 0000 to 9999 with upper-case {@code T} and {@code Z} take this path; any
 * other text (and every error) is left to Jackson's own handling, so what is accepted, refused and
 * written is unchanged: exactly {@link java.time.format.DateTimeFormatter#ISO_INSTANT}'s text.
 */
final class IsoInstants {

    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    private static final int SHORTEST = "0000-00-00T00:00:00Z".length();
    private static final int LONGEST = "0000-00-00T00:00:00.000000000Z".length();

    private IsoInstants() {
    }

    /** @return the instant, or null when the text is not in the form this reads (the caller falls back) */
    static Instant parse(String text) {
        int length = text.length();
        if (length < SHORTEST || length > LONGEST || length == SHORTEST + 1 || !separatorsAt(text)) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int nanos = length == SHORTEST ? 0 : fraction(text, length);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || nanos < 0) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    private static boolean separatorsAt(String text) {
        int last = text.length() - 1;
        return text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && text.charAt(last) == 'Z' && (last == 19 || text.charAt(19) == '.');
    }

    /** @return nanoseconds of the 1 to 9 digits between '.' and 'Z', or -1 */
    private static int fraction(String text, int length) {
        int count = length - SHORTEST - 1;
        int value = digits(text, SHORTEST, count);
        return value < 0 ? -1 : value * SCALE[count];
    }

    /** @return the decimal value of {@code count} digits from {@code start}, or -1 if one is not a digit */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** @return the ISO_INSTANT text, or null for a year outside 0000 to 9999 (the caller falls back) */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        if (date.getYear() < 0 || date.getYear() > 9999) {
            return null;
        }
        int ofDay = (int) Math.floorMod(seconds, 86_400);
        char[] text = new char[LONGEST];
        put(text, 0, date.getYear(), 4);
        text[4] = '-';
        put(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        put(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        put(text, 11, ofDay / 3_600, 2);
        text[13] = ':';
        put(text, 14, ofDay / 60 % 60, 2);
        text[16] = ':';
        put(text, 17, ofDay % 60, 2);
        int end = putFraction(text, instant.getNano());
        text[end] = 'Z';
        return new String(text, 0, end + 1);
    }

    /** Zero, three, six or nine digits, as many as the value needs, as ISO_INSTANT writes them. */
    private static int putFraction(char[] text, int nanos) {
        if (nanos == 0) {
            return SHORTEST - 1;
        }
        text[SHORTEST - 1] = '.';
        if (nanos % 1_000_000 == 0) {
            put(text, SHORTEST, nanos / 1_000_000, 3);
            return SHORTEST + 3;
        }
        if (nanos % 1_000 == 0) {
            put(text, SHORTEST, nanos / 1_000, 6);
            return SHORTEST + 6;
        }
        put(text, SHORTEST, nanos, 9);
        return SHORTEST + 9;
    }

    private static void put(char[] text, int start, int value, int width) {
        for (int i = start + width - 1; i >= start; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
