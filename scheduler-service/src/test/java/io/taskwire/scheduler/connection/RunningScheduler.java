package io.taskwire.scheduler.connection;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import io.taskwire.scheduler.support.TestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The whole scheduler on random HTTP and RSocket ports, with a 16 KB request limit, a 300 ms heartbeat
 * interval, frequent pings and a heartbeat timeout long enough that silent fake workers stay
 * registered for the length of a test. Every class using it shares one cached context, so worker ids
 * must be unique per test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Import(TestTokens.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=scheduler,application",
        TestTokens.WORKER_PROPERTY,
        TestTokens.CLIENT_PROPERTY,
        TestTokens.VIEWER_PROPERTY,
        "spring.rsocket.server.port=0",
        "taskwire.transport.max-payload-size=16KB",
        "taskwire.scheduler.heartbeat.interval=300ms",
        "taskwire.scheduler.heartbeat.timeout=10s",
        "taskwire.scheduler.heartbeat.check-interval=50ms",
        "taskwire.scheduler.heartbeat.ping-interval=200ms",
        "taskwire.scheduler.heartbeat.ping-timeout=1s"})
public @interface RunningScheduler {

    /** The heartbeat interval set above, as workers must receive it in {@code worker.config}. */
    long HEARTBEAT_INTERVAL_MS = 300;

    /** The request data limit set above, in bytes. */
    int MAX_PAYLOAD_BYTES = 16 * 1024;
}
