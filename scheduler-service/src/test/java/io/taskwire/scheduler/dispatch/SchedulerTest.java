package io.taskwire.scheduler.dispatch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import io.taskwire.scheduler.support.TestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The scheduler on random ports (HTTP and RSocket) with the settings the dispatch and API tests
 * share, so that their classes reuse one context. Heartbeats are relaxed because fake workers only
 * heartbeat when told to; the result grace is short so deadlines show within a test; the payload
 * limit is small so that an oversized body is cheap to send, and batches compress above 1 KB so
 * that compression shows within it; {@code later} is a declared type no worker advertises. Tests isolate themselves by using task types and worker ids of their own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(TestTokens.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=scheduler,application",
        TestTokens.WORKER_PROPERTY,
        TestTokens.CLIENT_PROPERTY,
        TestTokens.VIEWER_PROPERTY,
        "spring.rsocket.server.port=0",
        "taskwire.scheduler.heartbeat.interval=20s",
        "taskwire.scheduler.heartbeat.timeout=60s",
        "taskwire.scheduler.dispatch.result-grace=200ms",
        "taskwire.scheduler.dispatch.requeue-delay=50ms",
        "taskwire.scheduler.tasks.declared-types=later",
        "taskwire.scheduler.dispatch.batch.compression-threshold=1KB",
        "taskwire.transport.max-payload-size=16KB"})
public @interface SchedulerTest {

    /** The task type only {@code taskwire.scheduler.tasks.declared-types} makes known. */
    String DECLARED_TYPE = "later";
}
