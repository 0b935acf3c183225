-- Actions on a platform's incidents, queued while it cannot be reached. The idempotency key is fixed
-- when the user acts, so a send repeated after a crash is carried out once.
CREATE TABLE actions (
    id               TEXT PRIMARY KEY NOT NULL,
    profile          TEXT NOT NULL,
    incident_id      TEXT NOT NULL,
    action           TEXT NOT NULL CHECK (json_valid(action)),
    idempotency_key  TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'conflict', 'refused')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    queued_at        TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    message          TEXT,
    current_state    TEXT
);

CREATE INDEX actions_by_profile ON actions (profile, state, queued_at);
CREATE INDEX actions_by_incident ON actions (incident_id, queued_at);
