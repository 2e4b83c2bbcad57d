package io.taskwire.scheduler.store;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskwire.scheduler.task.TaskProperties;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The task store: a database given by {@code spring.datasource.*} (a Hikari pool; the schema brought
 * up to date by Flyway at start), or, with {@code taskwire.scheduler.store.in-memory=true}, none.
 * The DataSource is made here rather than by Boot's auto-configuration so that the in-memory mode
 * has none at all.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StoreProperties.class)
class StoreConfiguration {

    static final String IN_MEMORY = "taskwire.scheduler.store.in-memory";
    private static final Logger log = LoggerFactory.getLogger(StoreConfiguration.class);

    @Bean
    @ConditionalOnProperty(name = IN_MEMORY, havingValue = "true")
    TaskStore inMemoryTaskStore(Clock clock) {
        log.warn("Tasks are kept in memory only ({}=true): a restart loses every task", IN_MEMORY);
        return new InMemoryTaskStore(clock);
    }

    /** The database: PostgreSQL in production, the H2 file of the packaged defaults otherwise. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = IN_MEMORY, havingValue = "false", matchIfMissing = true)
    @EnableConfigurationProperties(DataSourceProperties.class)
    static class Database {

        @Bean
        @ConfigurationProperties("spring.datasource.hikari")
        HikariDataSource dataSource(DataSourceProperties properties) {
            return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        }

        @Bean
        TaskRows taskRows(DataSource dataSource) {
            TaskRows.migrate(dataSource);
            return new TaskRows(dataSource);
        }

        @Bean
        JdbcTaskStore taskStore(TaskRows rows, StoreProperties properties, MeterRegistry meters,
                                DataSourceProperties dataSource) {
            // the URL without its options: a PostgreSQL URL may carry a password in them
            log.info("Tasks are stored in {}", dataSource.determineUrl().replaceAll("[?;].*", ""));
            return new JdbcTaskStore(rows, properties.maxCommitWrites(), meters);
        }

        @Bean
        StoreRetention storeRetention(TaskRows rows, TaskProperties tasks, StoreProperties properties, Clock clock,
                                      MeterRegistry meters) {
            return new StoreRetention(rows, tasks.retainedFinished(), tasks.finishedRetention(), properties, clock, meters);
        }
    }
}
