package io.taskwire.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The chart at helm/taskwire, rendered as a release named {@value #RELEASE} in {@value #NAMESPACE}. */
final class TaskwireChart {

    static final Path DIR = Path.of("..", "helm", "taskwire").toAbsolutePath().normalize();
    static final String RELEASE = "tw";
    static final String NAMESPACE = "tasks";
    static final String FULLNAME = "tw-taskwire";
    static final String SCHEDULER = FULLNAME + "-scheduler";
    static final String WORKER = FULLNAME + "-worker";
    static final String WORKER_TOKEN = "worker-token-only-for-render-tests-7f3a";
    static final String CLIENT_TOKEN = "client-token-only-for-render-tests-9c1e";

    private TaskwireChart() {
    }

    /** The values a user must give at least: both tokens. */
    static Map<String, Object> tokens() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("auth.workerToken", WORKER_TOKEN);
        values.put("auth.clientToken", CLIENT_TOKEN);
        return values;
    }

    /** The tokens, and two schedulers (a leader and a standby) on an external PostgreSQL. */
    static Map<String, Object> standbys() {
        Map<String, Object> values = tokens();
        values.put("scheduler.replicas", 2);
        values.put("scheduler.store.postgresql.url", "jdbc:postgresql://db:5432/taskwire");
        values.put("scheduler.store.postgresql.existingSecret", "taskwire-db");
        return values;
    }

    /** helm template with these --set values; throws when Helm refuses them. */
    static String template(Map<String, Object> values) {
        return template(DIR, values);
    }

    /** The same for another copy of the chart. */
    static String template(Path chart, Map<String, Object> values) {
        TemplateCommand template = new Helm(chart).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion("1.30.0");
        values.forEach(template::set);
        return template.call();
    }

    static Manifests render(Map<String, Object> values) {
        return Manifests.parse(template(values));
    }

    /** What the install prints from NOTES.txt with these --set values (a client-only dry run). */
    static String notes(Map<String, Object> values) {
        InstallCommand install = new Helm(DIR).install().clientOnly().dryRun()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion("1.30.0");
        values.forEach(install::set);
        String output = install.call().getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }
}
