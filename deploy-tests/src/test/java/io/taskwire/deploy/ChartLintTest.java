package io.taskwire.deploy;

import static io.taskwire.deploy.TaskwireChart.CLIENT_TOKEN;
import static io.taskwire.deploy.TaskwireChart.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartLintTest {

    @TempDir
    Path temporary;

    @Test
    void passesStrictLintOnceTheTokensAreGiven() {
        // lint takes no values: lint a copy whose values.yaml carries the two tokens
        Path chart = ChartCopy.of(temporary.resolve("taskwire"));
        ChartCopy.edit(chart, "values.yaml", values -> values
                .replace("workerToken: \"\"", "workerToken: \"" + WORKER_TOKEN + "\"")
                .replace("clientToken: \"\"", "clientToken: \"" + CLIENT_TOKEN + "\""));

        LintResult result = new Helm(chart).lint().strict().call();

        assertThat(result.isFailed()).as("lint: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(message -> message.startsWith("[ERROR]")
                || message.startsWith("[WARNING]"));
    }

    @Test
    void failsLintAsShippedBecauseNoTokenHasADefault() {
        LintResult result = new Helm(TaskwireChart.DIR).lint().strict().call();

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("workerToken", "clientToken");
    }
}
