-- Which products each search word, each word's first one or two letters, and each facet value are
-- in, as Roaring bitmaps (the portable format) of `products.key` (issue 24, "Speed at scale"): a
-- search with words counts its matches and their facets by intersecting them, at a cost that follows
-- the number of facet values rather than of matches. Written in the transaction that writes the
-- products (a full resync builds them at its commit), as the counts of migration 0002 are.

-- `kind` 0: a word of the search rows as FTS5's tokenizer made it (the facet terms aside);
-- `kind` 1: the first one or two letters of such words, for a query's short prefixes.
CREATE TABLE search_words (
    kind INTEGER NOT NULL,
    word TEXT NOT NULL,
    docs BLOB NOT NULL,
    PRIMARY KEY (kind, word)
) WITHOUT ROWID;

-- The products of each facet value (`facet_values.id`), the rows of `product_facets` by value.
CREATE TABLE facet_docs (
    value_id INTEGER PRIMARY KEY,
    docs BLOB NOT NULL
);

-- `generation` moves with every write of `facet_docs` (a reader keeps them in memory until it
-- moves); `built` is 0 until the bitmaps were built from the products (a cache written before
-- this migration gets them when it is next opened).
CREATE TABLE search_bitmaps_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    built INTEGER NOT NULL
);
INSERT INTO search_bitmaps_state (id, generation, built) VALUES (1, 0, 0);

-- Every word of every search row with its row (`doc`) and column, for building the bitmaps whole.
CREATE VIRTUAL TABLE products_fts_instances USING fts5vocab (products_fts, instance);
