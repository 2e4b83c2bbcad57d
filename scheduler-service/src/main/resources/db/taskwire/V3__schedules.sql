-- Schedules (PROTOCOL.md section 8): the spec as put, and where the schedule is in its fire times.
-- A fire's task is written in the same transaction as the row that counts it.
CREATE TABLE taskwire_schedule (
    id               VARCHAR(128) NOT NULL PRIMARY KEY,
    spec             TEXT         NOT NULL,
    paused           BOOLEAN      NOT NULL,
    next_fire_at     TIMESTAMP WITH TIME ZONE,
    last_fire_at     TIMESTAMP WITH TIME ZONE,
    last_task_id     VARCHAR(36),
    fired            BIGINT       NOT NULL,
    buffered_fire_at TIMESTAMP WITH TIME ZONE,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- the schedule that fired a task, and its newest tasks for a schedule's view
ALTER TABLE taskwire_task ADD COLUMN schedule_id VARCHAR(128);
CREATE INDEX taskwire_task_schedule_created ON taskwire_task (schedule_id, created_at);
