-- Access requests asked for while the platform could not be reached, and those it refused when they
-- were sent. The idempotency key is fixed when the user asks, so a send repeated after a crash or a
-- lost answer asks once. A request the platform took is deleted: the synced cache holds it.
CREATE TABLE access_asks (
    id               TEXT PRIMARY KEY NOT NULL,
    profile          TEXT NOT NULL,
    product_id       TEXT NOT NULL,
    product_name     TEXT,
    output_port      TEXT NOT NULL,
    purpose          TEXT NOT NULL,
    until_at         TEXT,
    idempotency_key  TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'refused')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    queued_at        TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    message          TEXT
);

CREATE INDEX access_asks_by_profile ON access_asks (profile, state, queued_at);
