package io.taskwire.bench.console;

import java.util.Set;

/**
 * A live page of the console, as the emulated browser ({@link Console}) needs to know it: where the
 * page is, the Server-Sent Events stream it holds open, and the events on which it fetches a
 * fragment. Which fragment is read from the page itself, as htmx does: the {@code hx-get} of the
 * element whose {@code hx-trigger} is {@code sse:<event>}. Events not named here are data the page
 * draws itself (the overview's {@code snapshot} and {@code update}); they are read and parsed.
 *
 * @param name for the report
 * @param path the page, fetched once when it is opened
 * @param stream its SSE stream, opened again whenever it ends
 * @param signals the events on each of which the page fetches a fragment
 */
record Page(String name, String path, String stream, Set<String> signals) {

    /** The landing page: one stream of JSON, a {@code snapshot} then an {@code update} every 2 s. */
    static final Page OVERVIEW = new Page("overview", "/console/overview", "/console/overview/stream", Set.of());
    /** The tasks' first page: a {@code tasks} signal at most once a second, and its table fetched on each. */
    static final Page TASKS = new Page("tasks", "/console/tasks", "/console/tasks/stream", Set.of("tasks"));
}
