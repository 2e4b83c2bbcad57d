package io.taskwire.worker.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method of a Spring bean the worker's handler of a task type, as a {@link TaskHandler}
 * bean would be:
 *
 * <pre>{@code
 * @Component
 * class Images {
 *     @TaskwireHandler("resize-image")
 *     Resized resize(Resize request, TaskContext context) { ... }
 * }
 * }</pre>
 *
 * <p>The method takes at most one payload parameter, of any type the application's
 * {@code ObjectMapper} reads (a payload it cannot read fails the attempt for good), and may take the
 * attempt's {@link TaskContext}. What it returns is the task's output, written with the same
 * mapper ({@code void} gives JSON {@code null}). It runs on a slot thread and may block; it throws
 * as {@link TaskHandler#execute} does.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskwireHandler {

    /** @return the task type, as clients name it */
    String value();
}
