-- Drafts: products being written, saved as they are typed. The document is whatever the form holds,
-- valid or not, so nothing typed is lost.
CREATE TABLE drafts (
    id          TEXT PRIMARY KEY NOT NULL,
    document    TEXT NOT NULL CHECK (json_valid(document)),
    updated_at  TEXT NOT NULL
);

-- Submissions on their way to a platform. The idempotency key is fixed when the user submits, so a
-- send repeated after a crash is one provisioning on the platform.
CREATE TABLE outbox (
    id               TEXT PRIMARY KEY NOT NULL,
    profile          TEXT NOT NULL,
    product_id       TEXT NOT NULL,
    name             TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    body             TEXT NOT NULL CHECK (json_valid(body)),
    state            TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'refused')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    submitted_at     TEXT NOT NULL,
    delivered_at     TEXT,
    job_id           TEXT,
    job_state        TEXT,
    last_error       TEXT
);

CREATE INDEX outbox_pending ON outbox (profile, state);
