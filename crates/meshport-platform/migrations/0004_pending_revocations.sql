-- Access taken back on record but not yet in the database: a revocation whose tries all failed
-- (PostgreSQL unreachable, say). The trust upkeep retries each until it succeeds; an approval that
-- grants the same access again removes it. Portable as 0001 is.

CREATE TABLE pending_revocations (
    -- The consumer's role and the port's schema (or file) the grant was on.
    role TEXT NOT NULL,
    location TEXT NOT NULL,
    -- The access request whose grant it was (the latest, when one failed again).
    request_id TEXT NOT NULL,
    -- Failed tries so far, and what the last one met.
    attempts BIGINT NOT NULL,
    last_error TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (role, location)
);
