-- Trust and access: quality runs and every result they measured, steward incidents, lineage ports,
-- access requests. Portable as 0001 is; measured values are DOUBLE PRECISION (REAL on SQLite).

CREATE TABLE quality_runs (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    -- The rules listed but not run (`NotExecutable` JSON array).
    not_executable TEXT NOT NULL,
    -- What the run measured for the SLOs (freshness, completeness) per port (JSON array).
    measures TEXT NOT NULL,
    -- The run's results in short, `[[check, status, value], ...]`: a year of a product's history is
    -- a row per run, not one per check and run.
    results TEXT NOT NULL
);
CREATE INDEX quality_runs_by_product ON quality_runs (product_id, started_at);

-- Every result is kept: the history of trend charts and the pass rate SLO.
CREATE TABLE quality_results (
    run_id TEXT NOT NULL REFERENCES quality_runs (id),
    check_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    port TEXT NOT NULL,
    at BIGINT NOT NULL,
    status TEXT NOT NULL,
    value DOUBLE PRECISION,
    message TEXT,
    -- The rule as it was when it ran (`QualityCheck` JSON).
    definition TEXT NOT NULL,
    PRIMARY KEY (run_id, check_id)
);
CREATE INDEX quality_results_by_check ON quality_results (product_id, check_id, at);

-- Which runner holds a product's scheduled run, so two platform processes never run it twice.
CREATE TABLE quality_claims (
    product_id TEXT PRIMARY KEY,
    lease_owner TEXT NOT NULL,
    lease_until BIGINT NOT NULL
);

-- One incident per check of a product: later failures attach to it, and a failure after it was
-- resolved reopens it.
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    domain TEXT NOT NULL,
    check_id TEXT NOT NULL,
    port TEXT NOT NULL,
    state TEXT NOT NULL,
    severity TEXT NOT NULL,
    assignee TEXT,
    title TEXT NOT NULL,
    failures BIGINT NOT NULL,
    opened_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE UNIQUE INDEX incidents_one_per_check ON incidents (product_id, check_id);
CREATE INDEX incidents_by_domain ON incidents (domain, state);

CREATE TABLE incident_events (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    position BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    comment TEXT,
    PRIMARY KEY (incident_id, position)
);

-- The ports of each published product, for lineage: an input port naming the contract of another
-- product's output port is an edge.
CREATE TABLE lineage_ports (
    product_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    port TEXT NOT NULL,
    contract_id TEXT NOT NULL,
    PRIMARY KEY (product_id, direction, port)
);
CREATE INDEX lineage_ports_by_contract ON lineage_ports (contract_id, direction);

CREATE TABLE access_requests (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    domain TEXT NOT NULL,
    output_port TEXT NOT NULL,
    consumer TEXT NOT NULL,
    purpose TEXT NOT NULL,
    until_at BIGINT,
    state TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    decided_by TEXT,
    reason TEXT,
    -- What the grant gave (`AccessGrant` JSON) while it is active.
    grant_doc TEXT
);
CREATE INDEX access_requests_by_port ON access_requests (product_id, output_port, state);
CREATE INDEX access_requests_by_consumer ON access_requests (consumer, state);
