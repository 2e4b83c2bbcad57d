package io.taskwire.scheduler.security;

import org.springframework.security.core.Authentication;

/** The roles a token grants; they map to Spring Security authorities {@code ROLE_<role>}. */
public final class Roles {

    /** Opens {@code worker.connect}; a worker connection may call only worker routes. */
    public static final String WORKER = "WORKER";
    /** Opens {@code client.connect} and the HTTP API; a client connection may call only client routes. */
    public static final String CLIENT = "CLIENT";
    /** Reads the HTTP API ({@code GET}) and nothing else: no change, no RSocket connection. Optional. */
    public static final String VIEWER = "VIEWER";

    private Roles() {
    }

    /** @return whether the authentication carries that role's authority */
    public static boolean granted(Authentication user, String role) {
        return user != null && user.getAuthorities().stream()
                .anyMatch(authority -> authority.getAuthority().equals("ROLE_" + role));
    }
}
