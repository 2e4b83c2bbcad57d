package io.taskwire.scheduler.api;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.Json;
import io.taskwire.transport.TransportProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses HTTP request bodies over the payload limit before they are read, with the same
 * {@code PAYLOAD_TOO_LARGE} the RSocket side answers. A body of unknown length (chunked) is refused
 * too: the API's clients always know their body's length.
 */
@Component
class PayloadLimitFilter extends OncePerRequestFilter {

    private final long limit;

    PayloadLimitFilter(TransportProperties transport) {
        this.limit = transport.maxPayloadBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        boolean chunked = length < 0 && request.getHeader("Transfer-Encoding") != null;
        if (length > limit || chunked) {
            String detail = chunked ? "a request body of unknown length is refused; send Content-Length"
                    : "the request body is " + length + " bytes, over the limit of " + limit + " bytes";
            int status = chunked ? HttpServletResponse.SC_LENGTH_REQUIRED : 413;
            ErrorCode code = chunked ? ErrorCode.INVALID_REQUEST : ErrorCode.PAYLOAD_TOO_LARGE;
            response.setStatus(status);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(Json.write(java.util.Map.of("type", "about:blank", "title", code.name(),
                    "status", status, "detail", detail, "code", code.name(), "instance", request.getRequestURI())));
            return;
        }
        chain.doFilter(request, response);
    }
}
