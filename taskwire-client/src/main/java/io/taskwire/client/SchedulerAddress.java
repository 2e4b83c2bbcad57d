package io.taskwire.client;

import io.taskwire.messages.Protocol;

/**
 * Where a scheduler listens for RSocket: {@code host:port}, {@code [ipv6]:port}, or a host alone
 * for the default port 7000.
 *
 * @param host a host name or IP address
 * @param port a TCP port
 */
public record SchedulerAddress(String host, int port) {

    public SchedulerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a scheduler address needs a host");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a scheduler address needs a port in [1, 65535], got " + port);
        }
    }

    /**
     * @param address {@code host:port}, {@code [ipv6]:port} or {@code host}
     * @return the address
     * @throws IllegalArgumentException naming the text that is not an address
     */
    public static SchedulerAddress parse(String address) {
        String text = address == null ? "" : address.trim();
        String host = text;
        int port = Protocol.DEFAULT_PORT;
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[");
        if (colon > 0 && (!bracketed || text.lastIndexOf(']') < colon) && (bracketed || text.indexOf(':') == colon)) {
            host = text.substring(0, colon);
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a scheduler address (host:port): '" + address + "'");
            }
        }
        if (bracketed) {
            host = host.substring(1, host.endsWith("]") ? host.length() - 1 : host.length());
        }
        return new SchedulerAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
