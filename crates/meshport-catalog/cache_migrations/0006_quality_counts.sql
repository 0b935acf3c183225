-- Each quality summary's counts beside it, so the stewards' home counts products by health and SLOs
-- by status without opening every summary (a JSON parse each): written with the summary.
ALTER TABLE quality ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quality ADD COLUMN passed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quality ADD COLUMN last_run_at TEXT;
ALTER TABLE quality ADD COLUMN slos_met INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quality ADD COLUMN slos_at_risk INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quality ADD COLUMN slos_breached INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quality ADD COLUMN slos_unknown INTEGER NOT NULL DEFAULT 0;

UPDATE quality SET
    failed = coalesce(document ->> '$.failed', 0),
    passed = coalesce(document ->> '$.passed', 0),
    last_run_at = document ->> '$.lastRunAt',
    slos_met = (SELECT COUNT(*) FROM json_each(document, '$.slos') WHERE value ->> '$.status' = 'met'),
    slos_at_risk = (SELECT COUNT(*) FROM json_each(document, '$.slos') WHERE value ->> '$.status' = 'at-risk'),
    slos_breached = (SELECT COUNT(*) FROM json_each(document, '$.slos') WHERE value ->> '$.status' = 'breached'),
    slos_unknown = (SELECT COUNT(*) FROM json_each(document, '$.slos')
                    WHERE coalesce(value ->> '$.status', '') NOT IN ('met', 'at-risk', 'breached'));

CREATE INDEX quality_by_failed ON quality (failed) WHERE failed > 0;

-- The checks failing now, one row each, rewritten with their product's summary.
CREATE TABLE quality_failing (
    product_id TEXT NOT NULL,
    check_id TEXT NOT NULL,
    value REAL,
    at TEXT NOT NULL,
    PRIMARY KEY (product_id, check_id)
) WITHOUT ROWID;
CREATE INDEX quality_failing_by_time ON quality_failing (at);

INSERT OR REPLACE INTO quality_failing (product_id, check_id, value, at)
SELECT q.product_id, q.document ->> ('$.checks[' || l.key || ']'), l.value ->> '$.value', l.value ->> '$.at'
FROM quality q, json_each(q.document, '$.latest') l
WHERE q.failed > 0 AND l.value ->> '$.status' = 'failed' AND q.document ->> ('$.checks[' || l.key || ']') IS NOT NULL;
