package io.taskwire.bench.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

/** The emulated browsers that keep one page open, each logged in once with a session of its own. */
final class Consoles {

    private final Page page;
    private final List<Console> consoles = new ArrayList<>();
    private final Traffic traffic = new Traffic();
    private boolean open;

    Consoles(Page page, int count, HttpClient http, URI base, String token) {
        this.page = page;
        for (int i = 0; i < count; i++) {
            consoles.add(Console.login(http, base, token, traffic));
        }
    }

    /** Opens or closes the page in every console; nothing happens if it already is so. */
    void open(boolean wanted) {
        if (wanted != open) {
            consoles.forEach(console -> {
                if (wanted) {
                    console.open(page);
                } else {
                    console.close();
                }
            });
            open = wanted;
        }
    }

    Page page() {
        return page;
    }

    int size() {
        return consoles.size();
    }

    Traffic.Snapshot traffic() {
        return traffic.snapshot();
    }
}
