package io.taskwire.bench.console;

import java.util.concurrent.atomic.LongAdder;

/** What the consoles of one page got and did: counted, never judged by the consoles themselves. */
final class Traffic {

    private final LongAdder events = new LongAdder();
    private final LongAdder eventChars = new LongAdder();
    private final LongAdder fetches = new LongAdder();
    private final LongAdder fragmentChars = new LongAdder();
    private final LongAdder fetchNanos = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder failures = new LongAdder();

    void event(int chars) {
        events.increment();
        eventChars.add(chars);
    }

    /** A fragment fetched, in {@code nanos} from the request to the whole answer. */
    void fetched(int chars, long nanos) {
        fetches.increment();
        fragmentChars.add(chars);
        fetchNanos.add(nanos);
    }

    /** A signal that came while the page's fetch before was in flight: htmx drops it. */
    void dropped() {
        dropped.increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    /** A fragment not fetched, an event that was not JSON. */
    void failed() {
        failures.increment();
    }

    void streamRefused() {
        failures.increment();
    }

    Snapshot snapshot() {
        return new Snapshot(events.sum(), eventChars.sum(), fetches.sum(), fragmentChars.sum(), fetchNanos.sum(),
                dropped.sum(), reconnects.sum(), failures.sum());
    }

    /** The counts at one moment; {@link #minus} gives a window's. */
    record Snapshot(long events, long eventChars, long fetches, long fragmentChars, long fetchNanos, long dropped,
                    long reconnects, long failures) {

        static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0);

        Snapshot plus(Snapshot other) {
            return new Snapshot(events + other.events, eventChars + other.eventChars, fetches + other.fetches,
                    fragmentChars + other.fragmentChars, fetchNanos + other.fetchNanos, dropped + other.dropped,
                    reconnects + other.reconnects, failures + other.failures);
        }

        Snapshot minus(Snapshot before) {
            return new Snapshot(events - before.events, eventChars - before.eventChars, fetches - before.fetches,
                    fragmentChars - before.fragmentChars, fetchNanos - before.fetchNanos, dropped - before.dropped,
                    reconnects - before.reconnects, failures - before.failures);
        }

        String describe(double seconds) {
            String fetched = fetches == 0 ? "no fragment fetched" : String.format("%.1f fragments/s (%,.0f chars each,"
                    + " %.0f ms each on average), %d signals dropped", fetches / seconds, fragmentChars / (double) fetches,
                    fetchNanos / 1e6 / fetches, dropped);
            return String.format("%.1f events/s (%,.0f chars/s); %s; %d reconnects, %d failures", events / seconds,
                    eventChars / seconds, fetched, reconnects, failures);
        }
    }
}
