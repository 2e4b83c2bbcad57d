package io.taskwire.scheduler.api;

import io.taskwire.scheduler.leadership.Leadership;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A scheduler that does not lead answers every call of the HTTP API with {@code 503} problem+json
 * {@code UNAVAILABLE}, whose {@code leader} member gives the leader's advertised address when it is
 * known (PROTOCOL.md section 7). Authentication comes first: a wrong token is still {@code 401}.
 */
@Component
class StandbyGate implements WebMvcConfigurer, HandlerInterceptor {

    private final Leadership leadership;

    StandbyGate(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!leadership.leads()) {
            throw new NotLeader(leadership.standbyRefusal(), leadership.leaderAddress().orElse(null));
        }
        return true;
    }

    /** The call came to a standby. */
    static final class NotLeader extends RuntimeException {

        private final String leader;

        /**
         * @param why the standby's refusal, as {@link Leadership#standbyRefusal()} words it
         * @param leader the leader's advertised address; null when none is known
         */
        NotLeader(String why, String leader) {
            super(why, null, false, false);
            this.leader = leader;
        }

        String leader() {
            return leader;
        }
    }
}
