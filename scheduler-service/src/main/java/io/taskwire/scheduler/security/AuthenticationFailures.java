package io.taskwire.scheduler.security;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.transport.PeerErrorLog;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Rejected tokens per source address, over RSocket and HTTP together: a Resilience4j rate limiter per
 * address allows {@code max-failed-authentications} in each {@code failed-authentication-window}.
 * An address that used them up is refused at once, before its token is checked, until the window
 * gives it room again, so that guessing tokens is slow and a flood of wrong tokens is cheap to turn
 * away. At most {@value #MAX_ADDRESSES} addresses are tracked; past that, idle ones are forgotten first.
 */
@Component
public class AuthenticationFailures {

    static final int MAX_ADDRESSES = 10_000;

    private final RateLimiterConfig config;
    private final ConcurrentHashMap<String, RateLimiter> byAddress = new ConcurrentHashMap<>();
    private final Counter failed;
    private final Counter refused;
    private final SecurityProperties properties;

    AuthenticationFailures(SecurityProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(properties.maxFailedAuthentications())
                .limitRefreshPeriod(properties.failedAuthenticationWindow())
                .timeoutDuration(Duration.ZERO)
                .build();
        this.failed = Counter.builder("taskwire.authentications.failed")
                .description("Rejected tokens, over RSocket and HTTP").register(meters);
        this.refused = Counter.builder("taskwire.authentications.refused")
                .description("Attempts refused because their address had too many rejected tokens").register(meters);
    }

    /** Records a rejected token presented from the address. */
    public void failed(String address) {
        failed.increment();
        if (byAddress.size() >= MAX_ADDRESSES && !byAddress.containsKey(address)) {
            byAddress.values().removeIf(limiter -> limiter.getMetrics().getAvailablePermissions()
                    >= properties.maxFailedAuthentications());
            if (byAddress.size() >= MAX_ADDRESSES) {
                return;
            }
        }
        byAddress.computeIfAbsent(address, key -> RateLimiter.of("authentication:" + key, config)).acquirePermission();
    }

    /**
     * @return whether the address used up its rejected tokens for now; counted as a refusal when so
     */
    public boolean refuses(String address) {
        RateLimiter limiter = byAddress.get(address);
        if (limiter == null || limiter.getMetrics().getAvailablePermissions() > 0) {
            return false;
        }
        refused.increment();
        PeerErrorLog.SHARED.warn("Refused an address with too many rejected tokens", address);
        return true;
    }

    /** @return what the refusal says */
    public String refusal() {
        return "more than " + properties.maxFailedAuthentications() + " rejected tokens from this address within "
                + properties.failedAuthenticationWindow().toSeconds() + " s; try again later";
    }

    /** @return the address part of a socket address (no port), the key of the counts */
    public static String addressOf(SocketAddress socket) {
        return socket instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(socket);
    }
}
