-- The reference platform's store. One set of migrations for SQLite and PostgreSQL: portable types
-- only (TEXT, BIGINT; times are Unix milliseconds, booleans 0/1, documents JSON text), no
-- auto-increment (sequence numbers come from the `counters` row, see `changes`).

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- A role in a domain; domain '*' is every domain. Roles: owner, steward, consumer, admin.
CREATE TABLE user_roles (
    user_name TEXT NOT NULL REFERENCES users (name),
    role TEXT NOT NULL,
    domain TEXT NOT NULL,
    PRIMARY KEY (user_name, role, domain)
);

-- Bearer tokens `mpt_<id>_<secret>`: only the SHA-256 of the secret is kept.
CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    secret_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- The catalog: the published version of each product and contract.
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    domain TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    version TEXT NOT NULL,
    purpose TEXT,
    tags TEXT NOT NULL,
    document TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX products_by_domain ON products (domain, id);

CREATE TABLE contracts (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL,
    version TEXT NOT NULL,
    document TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contracts_by_product ON contracts (product_id);

-- Every version a provisioning request registered (or an import brought), kept after unprovision.
CREATE TABLE product_versions (
    product_id TEXT NOT NULL,
    version TEXT NOT NULL,
    document TEXT NOT NULL,
    contracts TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    request_id TEXT,
    PRIMARY KEY (product_id, version)
);

-- Monotonic counters, one row each. Taking the next value updates the row, which holds its lock until
-- the transaction commits: writers of the change feed are serialised, so sequence numbers commit in
-- order and a reader never sees a later number before an earlier one.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('changes', 0);
-- Changes with seq <= horizon were purged: a cursor below it must resync.
INSERT INTO counters (name, value) VALUES ('changes_horizon', 0);

CREATE TABLE changes (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    deleted BIGINT NOT NULL,
    document TEXT
);

-- Policy packs as the platform publishes them; the highest version of a name is current.
CREATE TABLE policy_packs (
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    scope TEXT NOT NULL,
    document TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    is_current BIGINT NOT NULL,
    PRIMARY KEY (name, version)
);

-- Provisioning and unprovisioning jobs. A runner claims a job by setting its lease; a job whose lease
-- ran out (its runner died) is claimed again and resumes at its first step not succeeded.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    domain TEXT NOT NULL,
    state TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    request TEXT NOT NULL,
    findings TEXT NOT NULL,
    -- The generation of the published packs the request was checked against at submit.
    packs TEXT NOT NULL,
    error TEXT,
    attempt BIGINT NOT NULL,
    cancel_requested BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    lease_owner TEXT,
    lease_until BIGINT
);
CREATE INDEX jobs_by_state ON jobs (state, created_at);

CREATE TABLE job_steps (
    job_id TEXT NOT NULL REFERENCES jobs (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    messages TEXT NOT NULL,
    PRIMARY KEY (job_id, position)
);

-- What an adapter built for an output port, so that unprovisioning destroys exactly that.
CREATE TABLE port_resources (
    product_id TEXT NOT NULL,
    port TEXT NOT NULL,
    adapter TEXT NOT NULL,
    location TEXT NOT NULL,
    server TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (product_id, port)
);

-- Idempotency keys per user (IETF httpapi Idempotency-Key draft): the fingerprint of the first
-- request, and its response once there is one.
CREATE TABLE idempotency_keys (
    user_name TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    status BIGINT,
    location TEXT,
    response TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_name, idem_key)
);

-- Append-only: rows are inserted, never updated or deleted. Ids are UUID v7, so they sort by time.
CREATE TABLE audit (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    request_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT
);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
