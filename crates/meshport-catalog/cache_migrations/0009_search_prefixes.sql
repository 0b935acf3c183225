-- FTS5 keeps prefix indexes of one to four letters (issue 24, "Speed at scale"). Every typed word is
-- prefix-matched, and without them FTS5 merges the lists of every word a prefix begins before it
-- returns a row, in each of the ranking's statements: "tra" begins 203 words of the benchmark's
-- Zipf catalog (11.6 ms a statement, 0.1 ms with the index), the common "olti" seven (4.1 ms).
-- Matching is unchanged; the index is about four times the size.
CREATE VIRTUAL TABLE products_fts_next USING fts5 (
    id UNINDEXED,
    name,
    description,
    tags,
    columns,
    owners,
    facets,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4'
);
INSERT INTO products_fts_next (rowid, id, name, description, tags, columns, owners, facets)
    SELECT rowid, id, name, description, tags, columns, owners, facets FROM products_fts;
DROP TABLE products_fts_instances;
DROP TABLE products_fts;
ALTER TABLE products_fts_next RENAME TO products_fts;
CREATE VIRTUAL TABLE products_fts_instances USING fts5vocab (products_fts, instance);

-- The search bitmaps (migration 0008) gain the words of names alone (`search_words.kind` 2 and 3:
-- the ranking's candidates are chosen from them) and prefixes of up to three letters (kinds 1 and
-- 3): built again when the cache is next opened.
UPDATE search_bitmaps_state SET built = 0;
