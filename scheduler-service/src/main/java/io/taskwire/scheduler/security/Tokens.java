package io.taskwire.scheduler.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One generation of accepted tokens, kept as SHA-256 digests and compared in constant time, all of
 * them every time, so neither a token nor how much of it matched leaks through timing.
 */
final class Tokens {

    /** @param digest the token's SHA-256; @param role what it may open; @param name how logs name it (never the token) */
    record Credential(byte[] digest, String role, String name) {
    }

    private final List<Credential> credentials;

    private Tokens(List<Credential> credentials) {
        this.credentials = List.copyOf(credentials);
    }

    /**
     * @param workerTokens tokens of the worker role
     * @param clientTokens tokens of the client role
     * @param viewerTokens tokens of the viewer role
     * @param source where they came from, for error messages
     * @return the credentials
     * @throws IllegalArgumentException naming the offending token by position when one is too short,
     *         or naming the roles when one token serves two
     */
    static Tokens of(List<String> workerTokens, List<String> clientTokens, List<String> viewerTokens, String source) {
        List<Credential> credentials = new ArrayList<>();
        add(credentials, workerTokens, Roles.WORKER, source);
        add(credentials, clientTokens, Roles.CLIENT, source);
        add(credentials, viewerTokens, Roles.VIEWER, source);
        return distinct(credentials, source);
    }

    /** @throws IllegalArgumentException naming the roles when one token serves two */
    private static Tokens distinct(List<Credential> credentials, String source) {
        Map<String, String> roleOf = new HashMap<>();
        for (Credential credential : credentials) {
            String other = roleOf.putIfAbsent(HexFormat.of().formatHex(credential.digest()), credential.role());
            if (other != null && !other.equals(credential.role())) {
                throw new IllegalArgumentException("a token in " + source + " is both a " + lower(other) + " and a "
                        + lower(credential.role()) + " token; each role needs tokens of its own");
            }
        }
        return new Tokens(credentials);
    }

    private static String lower(String role) {
        return role.toLowerCase(java.util.Locale.ROOT);
    }

    private static void add(List<Credential> credentials, List<String> tokens, String role, String source) {
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String name = role.toLowerCase(java.util.Locale.ROOT) + "-token-" + (i + 1);
            if (token.length() < SecurityProperties.MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(name + " in " + source + " is " + token.length()
                        + " characters long; use at least " + SecurityProperties.MIN_TOKEN_LENGTH
                        + " random characters (for example: openssl rand -hex 32)");
            }
            credentials.add(new Credential(sha256(token), role, name));
        }
    }

    /** Trims entries and drops blank ones (an unset environment variable binds as one empty entry). */
    static List<String> clean(List<String> tokens) {
        return tokens == null ? List.of()
                : tokens.stream().filter(Objects::nonNull).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /**
     * @return the tokens of both generations
     * @throws IllegalArgumentException when a token has one role in one and another in the other
     */
    Tokens plus(Tokens other, String source) {
        List<Credential> all = new ArrayList<>(credentials);
        all.addAll(other.credentials);
        return distinct(all, source);
    }

    boolean has(String role) {
        return credentials.stream().anyMatch(c -> c.role().equals(role));
    }

    /** @return the matching credential, or null; every credential is compared, whatever matched */
    Credential match(String token) {
        byte[] presented = sha256(token);
        Credential match = null;
        for (Credential credential : credentials) {
            if (MessageDigest.isEqual(credential.digest(), presented)) {
                match = credential;
            }
        }
        return match;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
