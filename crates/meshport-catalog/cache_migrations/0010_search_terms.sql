-- Each search row's words as FTS5's tokenizer made them, by product key (issue 24, "Speed at
-- scale"): the ranking computes bm25 for its candidates from them (`cache/rank.rs`) instead of
-- walking the query's lists of rows, which costs what the lists hold between the first and the last
-- candidate (all of them when the candidates lie across the catalog). `size` is the row's number
-- of tokens, its length for bm25; `terms` its words in its text columns, separated by spaces, each
-- after its column's digit: 1 name, 2 description, 3 tags, 4 columns, 5 owners (the facet terms
-- weigh nothing in bm25 and are left out). Kept with
-- the bitmaps (migration 0008), in the transaction that writes the products; built with them when
-- the cache is next opened.
CREATE TABLE search_terms (
    key INTEGER PRIMARY KEY,
    size INTEGER NOT NULL,
    terms TEXT NOT NULL
);
UPDATE search_bitmaps_state SET built = 0;
