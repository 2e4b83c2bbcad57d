package io.taskwire.scheduler.store;

import io.taskwire.postgres.PostgresServer;
import javax.sql.DataSource;

/** The store's contract on a real PostgreSQL server ({@link PostgresServer}). */
class PostgresTaskStoreTest extends TaskStoreContract {

    @Override
    DataSource newDatabase() {
        return PostgresServer.shared().newDatabase().dataSource();
    }
}
