-- The catalog of data products. The ODPS document is stored whole, as JSON, so nothing a user wrote is
-- lost; the columns beside it are what the list and search read.
CREATE TABLE products (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    version     TEXT,
    status      TEXT NOT NULL,
    domain      TEXT,
    purpose     TEXT,
    document    TEXT NOT NULL CHECK (json_valid(document)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX products_domain ON products (domain);

-- Facts about this database itself, such as whether the demo mesh was seeded.
CREATE TABLE catalog_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
