package io.taskwire.scheduler.api;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Requests Tomcat refuses before any of the API's code runs (a malformed request line, headers over
 * {@code server.max-http-request-header-size}) get the protocol's problem+json instead of Tomcat's
 * HTML error page: no markup, no server version, no exception text.
 */
@Component
class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemJsonValve.class.getName());
            }
        });
    }

    /** Tomcat's error report, written as problem+json. */
    public static final class ProblemJsonValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            ErrorCode code = ProblemResponses.codeOf(status);
            String reason = ProblemResponses.reasonOf(status);
            String detail = status >= 500 ? "internal error; see the scheduler's log"
                    : "the HTTP server refused the request: " + reason
                            + " (a malformed request line, or headers over the limit)";
            try {
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    // the members and their order of the API's own problems (ProblemResponses)
                    Map<String, Object> problem = new LinkedHashMap<>();
                    problem.put("type", "about:blank");
                    problem.put("title", code.name());
                    problem.put("status", status);
                    problem.put("detail", detail);
                    problem.put("code", code.name());
                    writer.write(Json.write(problem));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException ignored) {
                // the client is gone or the response is committed: nothing more to say
            }
        }
    }
}
