package io.taskwire.scheduler.api;

import io.taskwire.messages.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error path the servlet container forwards to when a request fails outside the API's handlers
 * (no such path, a request the container refused): the protocol's problem+json, never an HTML page
 * or a stack trace. Called directly, {@code /error} is a path like any other that serves nothing: 404.
 * It takes the place of Spring Boot's {@code BasicErrorController}.
 */
@RestController
class ErrorPathController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (!(status instanceof Integer code) || path == null) {
            return ProblemResponses.problem(ErrorCode.NOT_FOUND, "nothing is served at " + request.getRequestURI());
        }
        HttpStatusCode httpStatus = HttpStatusCode.valueOf(code);
        ErrorCode protocolCode = ProblemResponses.codeOf(code);
        String detail = code == HttpStatus.NOT_FOUND.value() ? "nothing is served at " + path
                : code == HttpStatus.METHOD_NOT_ALLOWED.value() ? request.getMethod() + " is not allowed on " + path
                : httpStatus.is5xxServerError() ? "internal error handling " + path + "; see the scheduler's log"
                : "the request to " + path + " was refused: " + ProblemResponses.reasonOf(code);
        return ProblemResponses.problem(httpStatus, protocolCode, detail);
    }
}
