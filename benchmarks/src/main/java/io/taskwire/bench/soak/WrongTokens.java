package io.taskwire.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * SETUPs with a wrong token on the RSocket port and calls with a wrong token on the
 * HTTP port, both from one address, each on a connection of its own.
 */
final class WrongTokens extends Attack {

    private static final String WRONG = "soak-wrong-token-0123456789abcdef";
    private static final int THREADS = 2;

    private final int rsocketPort;
    private final int httpPort;
    private final double perSecond;

    WrongTokens(String sourceAddress, int rsocketPort, int httpPort, double perSecond) {
        super("wrong tokens", sourceAddress);
        this.rsocketPort = rsocketPort;
        this.httpPort = httpPort;
        this.perSecond = perSecond;
    }

    @Override
    String description() {
        return String.format("%.0f SETUPs/s and %.0f HTTP calls/s, each with a wrong token on a new connection",
                perSecond, perSecond);
    }

    @Override
    void start() {
        for (int i = 0; i < THREADS; i++) {
            paced("rsocket-" + i, perSecond / THREADS, this::setup);
            paced("http-" + i, perSecond / THREADS, this::call);
        }
    }

    private void setup() throws IOException {
        try (Socket socket = RawFrames.open(sourceAddress(), rsocketPort)) {
            socket.getOutputStream().write(RawFrames.clientSetup(WRONG));
            socket.getOutputStream().flush();
            count("SETUP: " + RawFrames.readError(socket));
        }
    }

    private void call() throws IOException {
        try (Socket socket = RawFrames.open(sourceAddress(), httpPort)) {
            socket.getOutputStream().write(("GET /api/v1/workers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + WRONG + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            count("HTTP: " + (status == null ? "closed" : status.replaceFirst("^HTTP/1\\.1 ", "").trim()));
        }
    }
}
