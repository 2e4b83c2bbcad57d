-- Task lists are ordered and paged by (created_at, id): the indexes that order them hold both, so
-- that a page is read in index order with or without a status filter, rather than sorted whole.
DROP INDEX taskwire_task_created;
DROP INDEX taskwire_task_status_created;
CREATE INDEX taskwire_task_created ON taskwire_task (created_at, id);
CREATE INDEX taskwire_task_status_created ON taskwire_task (status, created_at, id);
