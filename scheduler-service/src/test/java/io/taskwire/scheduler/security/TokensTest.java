package io.taskwire.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The accepted tokens: each matches its own role, and one token never serves two roles. */
class TokensTest {

    private static final String WORKER = "worker-token-for-tokens-test";
    private static final String CLIENT = "client-token-for-tokens-test";
    private static final String VIEWER = "viewer-token-for-tokens-test";

    @Test
    void eachTokenMatchesItsRoleAndAnUnknownOneNothing() {
        Tokens tokens = Tokens.of(List.of(WORKER), List.of(CLIENT), List.of(VIEWER), "taskwire.security");

        assertThat(tokens.match(WORKER).role()).isEqualTo(Roles.WORKER);
        assertThat(tokens.match(CLIENT).role()).isEqualTo(Roles.CLIENT);
        assertThat(tokens.match(VIEWER).role()).isEqualTo(Roles.VIEWER);
        assertThat(tokens.match(VIEWER).name()).isEqualTo("viewer-token-1");
        assertThat(tokens.match("no-such-token-anywhere")).isNull();
        assertThat(Tokens.of(List.of(WORKER), List.of(CLIENT), List.of(), "taskwire.security").has(Roles.VIEWER))
                .as("viewer tokens are optional").isFalse();
    }

    @Test
    void aTokenOfTwoRolesIsRefusedNamingBothAlsoAcrossTheListsAndTheDirectory() {
        assertThatThrownBy(() -> Tokens.of(List.of(WORKER), List.of(), List.of(WORKER), "taskwire.security"))
                .hasMessageContaining("both a worker and a viewer token");
        assertThatThrownBy(() -> Tokens.of(List.of(), List.of(CLIENT), List.of(CLIENT), "taskwire.security"))
                .hasMessageContaining("both a client and a viewer token").hasMessageNotContaining(CLIENT);

        Tokens configured = Tokens.of(List.of(WORKER), List.of(CLIENT), List.of(), "taskwire.security");
        Tokens inDirectory = Tokens.of(List.of(), List.of(), List.of(CLIENT), "/tokens");
        assertThatThrownBy(() -> configured.plus(inDirectory, "taskwire.security and /tokens"))
                .hasMessageContaining("taskwire.security and /tokens").hasMessageContaining("both a client and a viewer");
        assertThat(configured.plus(Tokens.of(List.of(), List.of(CLIENT), List.of(), "/tokens"), "both").match(CLIENT).role())
                .as("the same token for the same role in both places").isEqualTo(Roles.CLIENT);
    }

    @Test
    void aShortViewerTokenIsRefusedByPosition() {
        assertThatThrownBy(() -> Tokens.of(List.of(WORKER), List.of(CLIENT), List.of(VIEWER, "short"), "taskwire.security"))
                .hasMessageContaining("viewer-token-2").hasMessageContaining("5 characters long");
    }
}
