package io.taskwire.scheduler.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The console's own pages, rendered on the server ({@code templates/console}): the login form, and
 * the page that says why a request was refused. Each page of the console lives in a package of its
 * own: {@code overview}, {@code tasks}, {@code schedules}, {@code workers}.
 */
@Controller
@RequestMapping("/console")
class ConsoleController {

    /** The request attribute that says why a request was refused: {@code form} or {@code role}. */
    static final String REFUSAL = "taskwire.console.refusal";

    @GetMapping("/login")
    String login() {
        return "console/login";
    }

    /** Why a request was refused ({@link ConsoleSecurityConfiguration}), whatever its method. */
    @RequestMapping("/denied")
    String denied(HttpServletRequest request, Model model, Authentication user) {
        ConsoleSession.describe(model, user);
        model.addAttribute("refusal", request.getAttribute(REFUSAL));
        return "console/denied";
    }
}
