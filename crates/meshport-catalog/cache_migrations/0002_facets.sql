-- Facet counts kept with the products (issue 24, "Speed at scale"): a search's facets are read, or
-- counted over its matches' rows with an index, never computed from the products' JSON per search.
-- Every table below is written in the transaction that writes the product rows (in a full resync,
-- the counts are recounted in the transaction that commits it), so counts and products never
-- disagree.

-- What a product is counted under: one row per facet value. `openIncident` is 'true' when an
-- incident of the product is not resolved. The one definition of a product's facets, for this
-- migration, the writes and the tests.
CREATE VIEW product_facet_values (key, facet, value) AS
    SELECT key, 'domain', domain FROM products
    UNION ALL SELECT key, 'status', status FROM products
    UNION ALL SELECT p.key, 'tag', t.value FROM products p, json_each(p.tags) t WHERE t.type = 'text'
    UNION ALL SELECT p.key, 'owner', o.value FROM products p, json_each(p.owners) o WHERE o.type = 'text'
    UNION ALL SELECT p.key, 'openIncident',
        CASE WHEN EXISTS (SELECT 1 FROM incidents i WHERE i.product_id = p.id AND i.state <> 'resolved')
            THEN 'true' ELSE 'false' END
        FROM products p;

-- The facet values products have, each with how many cached products have it. A value no product
-- has any more is deleted.
CREATE TABLE facet_values (
    id INTEGER PRIMARY KEY,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    UNIQUE (facet, value)
);

-- Which product (`products.key`) has which value, with the product's name: the rows a search
-- counts its matches' facets from, and (by value, in name order) the first page of a search
-- without words.
CREATE TABLE product_facets (
    key INTEGER NOT NULL,
    value_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (key, value_id)
) WITHOUT ROWID;
CREATE INDEX product_facets_by_value ON product_facets (value_id, name COLLATE NOCASE, key);

-- How many products have both values (each pair both ways): a search with no words and one
-- filter reads its facets here. A pair no product has any more is deleted (by the partial index).
CREATE TABLE facet_pairs (
    value_id INTEGER NOT NULL,
    other_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (value_id, other_id)
) WITHOUT ROWID;
CREATE INDEX facet_pairs_empty ON facet_pairs (value_id, other_id) WHERE count = 0;

-- The first page of a search without words or filters, in name order (case aside), and the
-- product named exactly as typed, which a search with words ranks first.
CREATE INDEX products_by_name ON products (name COLLATE NOCASE);

-- A product's domain, status, tags and owners as search tokens, for the filters of a search with
-- words to be FTS5 terms: U+E000 (a private-use character, a token character to FTS5's unicode61
-- but never part of a word the user types), a letter for the facet, the value's UTF-8 in hex.
CREATE VIEW product_facet_tokens (key, tokens) AS
    SELECT p.key,
        char(57344) || 'd' || lower(hex(p.domain)) || ' ' || char(57344) || 's' || lower(hex(p.status))
        || coalesce((SELECT group_concat(' ' || char(57344) || 't' || lower(hex(t.value)), '')
            FROM json_each(p.tags) t WHERE t.type = 'text'), '')
        || coalesce((SELECT group_concat(' ' || char(57344) || 'o' || lower(hex(o.value)), '')
            FROM json_each(p.owners) o WHERE o.type = 'text'), '')
    FROM products p;

-- The search rows gain the facet tokens (`facets`, weight 0 in bm25).
CREATE VIRTUAL TABLE products_fts_next USING fts5 (
    id UNINDEXED,
    name,
    description,
    tags,
    columns,
    owners,
    facets,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO products_fts_next (rowid, id, name, description, tags, columns, owners, facets)
    SELECT f.rowid, f.id, f.name, f.description, f.tags, f.columns, f.owners, t.tokens
    FROM products_fts f JOIN product_facet_tokens t ON t.key = f.rowid;
DROP TABLE products_fts;
ALTER TABLE products_fts_next RENAME TO products_fts;

-- A cache of the previous schema: its products counted now.
INSERT INTO facet_values (facet, value, count)
    SELECT facet, value, count(DISTINCT key) FROM product_facet_values GROUP BY facet, value;
INSERT OR IGNORE INTO product_facets (key, value_id, name)
    SELECT f.key, v.id, p.name FROM product_facet_values f
    JOIN facet_values v ON v.facet = f.facet AND v.value = f.value
    JOIN products p ON p.key = f.key;
INSERT INTO facet_pairs (value_id, other_id, count)
    SELECT a.value_id, b.value_id, count(*) FROM product_facets a
    JOIN product_facets b ON b.key = a.key AND b.value_id <> a.value_id
    GROUP BY a.value_id, b.value_id;
