-- The offline cache of one platform: what its change feed said, applied a page per transaction with
-- the cursor that page ends at. Documents are kept whole, as the platform sent them.

-- One row: where the feed was last read to, and when a sync last succeeded.
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    cursor INTEGER NOT NULL,
    last_success_at TEXT,
    platform TEXT NOT NULL
);

-- `key` is the rowid (kept by VACUUM, being an INTEGER PRIMARY KEY) the search row shares.
CREATE TABLE products (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    status TEXT NOT NULL,
    version TEXT NOT NULL,
    purpose TEXT,
    -- JSON arrays, for the facets.
    tags TEXT NOT NULL,
    owners TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX products_by_domain ON products (domain);

CREATE TABLE contracts (
    id TEXT PRIMARY KEY NOT NULL,
    document TEXT NOT NULL
);

CREATE TABLE policy_packs (
    name TEXT PRIMARY KEY NOT NULL,
    document TEXT NOT NULL
);

CREATE TABLE quality (
    product_id TEXT PRIMARY KEY NOT NULL,
    document TEXT NOT NULL
);

CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    product_id TEXT NOT NULL,
    state TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX incidents_by_product ON incidents (product_id, state);

CREATE TABLE access_requests (
    id TEXT PRIMARY KEY NOT NULL,
    product_id TEXT NOT NULL,
    output_port TEXT NOT NULL,
    consumer TEXT NOT NULL,
    state TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX access_by_product ON access_requests (product_id, state);

-- Search: names, descriptions, purposes, tags, column names and descriptions, owners; ranked by bm25.
CREATE VIRTUAL TABLE products_fts USING fts5 (
    id UNINDEXED,
    name,
    description,
    tags,
    columns,
    owners,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Which products' output ports name a contract, so a contract that changes re-indexes them.
CREATE TABLE product_contracts (
    contract_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    PRIMARY KEY (contract_id, product_id)
);
CREATE INDEX product_contracts_by_product ON product_contracts (product_id);
