-- The lead among the schedulers sharing this store (PROTOCOL.md section 7), one row: who holds it,
-- the address it advertises, until when (on the database's clock), and the epoch taken with it,
-- which is the fence epoch of section 5. It carries on the epoch of the table it replaces.
CREATE TABLE taskwire_leader (
    id         INTEGER      NOT NULL PRIMARY KEY,
    holder     VARCHAR(128),
    address    VARCHAR(256),
    epoch      BIGINT       NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE
);
INSERT INTO taskwire_leader (id, holder, address, epoch, expires_at)
    SELECT id, NULL, NULL, epoch, NULL FROM taskwire_epoch WHERE id = 1;
DROP TABLE taskwire_epoch;
