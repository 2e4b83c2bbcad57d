-- The schedulers sharing this store, as each last said it was up (on the database's clock), so that
-- each shows the others: the leader its standbys. A scheduler that stops deletes its row; the leader
-- deletes those long unseen (one that was killed).
CREATE TABLE taskwire_scheduler (
    holder  VARCHAR(128) NOT NULL PRIMARY KEY,
    address VARCHAR(256) NOT NULL,
    role    VARCHAR(16)  NOT NULL,
    seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);
