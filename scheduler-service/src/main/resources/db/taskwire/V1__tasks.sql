-- Every task the scheduler acknowledged, with its spec and its current state; the same script for
-- PostgreSQL and H2. JSON (the spec with its payload, the output, the error) is kept as text.
CREATE TABLE taskwire_task (
    id               VARCHAR(36)  NOT NULL PRIMARY KEY,
    idempotency_key  VARCHAR(128) UNIQUE,
    type             VARCHAR(128) NOT NULL,
    spec             TEXT         NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    attempt          INTEGER      NOT NULL,
    attempts_spent   INTEGER      NOT NULL,
    recorded_attempt INTEGER      NOT NULL,
    timeout_ms       BIGINT       NOT NULL,
    max_attempts     INTEGER      NOT NULL,
    worker_id        VARCHAR(128),
    fence            VARCHAR(64),
    avoided_worker   VARCHAR(128),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    output           TEXT,
    error            TEXT
);

-- lists, newest first, by status or not; the unfinished tasks a start loads; retention, oldest first
CREATE INDEX taskwire_task_created ON taskwire_task (created_at);
CREATE INDEX taskwire_task_status_created ON taskwire_task (status, created_at);
CREATE INDEX taskwire_task_finished ON taskwire_task (finished_at);

-- the fence epoch (PROTOCOL.md section 5): one row, grown by one on every start
CREATE TABLE taskwire_epoch (
    id    INTEGER NOT NULL PRIMARY KEY,
    epoch BIGINT  NOT NULL
);
INSERT INTO taskwire_epoch (id, epoch) VALUES (1, 0);
