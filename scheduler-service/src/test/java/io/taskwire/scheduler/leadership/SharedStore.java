package io.taskwire.scheduler.leadership;

import io.taskwire.postgres.PostgresServer;
import io.taskwire.scheduler.SchedulerApplication;
import io.taskwire.scheduler.support.TestTokens;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/** Schedulers in this JVM sharing one PostgreSQL database, as several scheduler processes would. */
final class SharedStore {

    private SharedStore() {
    }

    /**
     * Starts a scheduler on random ports. Each has Reactor Netty resources of its own, so that
     * closing one leaves the others' servers running.
     */
    static ConfigurableApplicationContext start(PostgresServer.Database database, String advertised,
                                                ApplicationListener<?>... listeners) {
        return SchedulerApplication.builder()
                .listeners(listeners)
                .initializers(context -> ((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
                    ReactorResourceFactory own = new ReactorResourceFactory();
                    own.setUseGlobalResources(false);
                    return own;
                }))
                .run(
                "--" + TestTokens.WORKER_PROPERTY,
                "--" + TestTokens.CLIENT_PROPERTY,
                "--server.port=0",
                "--spring.rsocket.server.port=0",
                "--management.server.port=0",
                "--taskwire.scheduler.tasks.declared-types=echo",
                "--taskwire.scheduler.advertised-address=" + advertised,
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user());
    }
}
