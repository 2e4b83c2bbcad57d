package io.taskwire.scheduler.console;

import io.taskwire.messages.ErrorCode;
import io.taskwire.messages.ProtocolException;
import io.taskwire.scheduler.security.Roles;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;

/** What a console page shows of its session: who is logged in, and whether the session may act. */
public final class ConsoleSession {

    private ConsoleSession() {
    }

    /** Adds {@code user} and {@code mayAct} to the page's model. */
    public static void describe(Model model, Authentication user) {
        model.addAttribute("user", user == null ? "anyone" : user.getName());
        model.addAttribute("mayAct", mayAct(user));
    }

    /** @return whether the session may change things: a viewer's only looks; a client's, or anyone's with security off, acts */
    public static boolean mayAct(Authentication user) {
        return !Roles.granted(user, Roles.VIEWER);
    }

    /** @return a refusal as the API names it, e.g. {@code INVALID_REQUEST: cron must not be blank} */
    public static String said(RuntimeException refused) {
        if (refused instanceof ProtocolException protocol) {
            return protocol.code() + ": " + protocol.detail();
        }
        return ErrorCode.INVALID_REQUEST + ": " + refused.getMessage();
    }
}
