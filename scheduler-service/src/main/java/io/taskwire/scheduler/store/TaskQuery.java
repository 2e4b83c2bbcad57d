package io.taskwire.scheduler.store;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.messages.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;

/**
 * Which tasks a list shows, in which order, from where: tasks ordered by creation time, then by id
 * (so that tasks created at the same instant keep one order), filtered by status, type and a range
 * of creation times, and paged by a cursor (keyset paging: a page starts after the last task of the
 * previous one, so that tasks created meanwhile neither shift nor repeat it).
 *
 * @param status only tasks in this status; null for any
 * @param type only tasks of this type; null for any
 * @param createdFrom only tasks created at or after this instant; null for no bound
 * @param createdBefore only tasks created before this instant; null for no bound
 * @param after the position of the previous page's last task; null for the first page
 * @param oldestFirst the oldest first, rather than the newest
 * @param limit at most this many
 */
public record TaskQuery(TaskStatus status, String type, Instant createdFrom, Instant createdBefore, Position after,
                        boolean oldestFirst, int limit) {

    /** The newest {@code limit} tasks with that status and type (either may be null), as the API lists them. */
    public static TaskQuery newest(TaskStatus status, String type, int limit) {
        return new TaskQuery(status, type, null, null, null, false, limit);
    }

    /** @return the same query for the page after the task at {@code last} */
    public TaskQuery after(Position last) {
        return new TaskQuery(status, type, createdFrom, createdBefore, last, oldestFirst, limit);
    }

    /** @return whether a task with these fields belongs to the result */
    public boolean admits(TaskStatus taskStatus, String taskType, Instant createdAt, String id) {
        return (status == null || status == taskStatus)
                && (type == null || type.equals(taskType))
                && (createdFrom == null || !createdAt.isBefore(createdFrom))
                && (createdBefore == null || createdAt.isBefore(createdBefore))
                && (after == null || order().compare(new Position(createdAt, id), after) > 0);
    }

    /** @return the order of the result: by creation time, then id, newest or oldest first */
    public Comparator<Position> order() {
        Comparator<Position> oldest = Comparator.comparing(Position::createdAt).thenComparing(Position::id);
        return oldestFirst ? oldest : oldest.reversed();
    }

    /**
     * Where a task stands in the order: its creation time (microseconds, as the store keeps it) and
     * its id. As a cursor it is an opaque URL-safe string.
     */
    public record Position(Instant createdAt, String id) {

        public Position {
            createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
        }

        /** @return this position as a cursor, to give back to {@link #parse} */
        public String cursor() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + " " + id).getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @return the position a cursor names
         * @throws ProtocolException {@code INVALID_REQUEST} when it is not a cursor this class made
         */
        public static Position parse(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int space = text.indexOf(' ');
                if (space < 0 || space == text.length() - 1) {
                    throw new IllegalArgumentException("no id");
                }
                return new Position(Instant.parse(text.substring(0, space)), text.substring(space + 1));
            } catch (IllegalArgumentException | DateTimeParseException notACursor) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST, "after is not a cursor of this list: " + cursor);
            }
        }
    }
}
