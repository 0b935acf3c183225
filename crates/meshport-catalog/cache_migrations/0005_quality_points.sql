-- Each check's measured values over the last 90 days: the points of the trend charts. Every quality
-- summary the feed brings adds its latest point per check; once per product, the platform's report of
-- the last 90 days fills what came before (`quality_backfilled` records which products were filled,
-- and `quality_checks` each check's threshold and unit from that report).
CREATE TABLE quality_points (
    product_id TEXT NOT NULL,
    check_id TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (product_id, check_id, at)
) WITHOUT ROWID;

CREATE TABLE quality_checks (
    product_id TEXT NOT NULL,
    check_id TEXT NOT NULL,
    threshold TEXT NOT NULL,
    unit TEXT NOT NULL,
    description TEXT,
    PRIMARY KEY (product_id, check_id)
) WITHOUT ROWID;

CREATE TABLE quality_backfilled (
    product_id TEXT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL
) WITHOUT ROWID;

INSERT OR IGNORE INTO quality_points (product_id, check_id, at, status, value)
SELECT q.product_id, c.value, l.value ->> '$.at', l.value ->> '$.status', l.value ->> '$.value'
FROM quality q, json_each(q.document, '$.latest') l
JOIN json_each(q.document, '$.checks') c ON c.key = l.key;
