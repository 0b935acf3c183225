-- Who registered each product and contract id first. An id belongs to the product that registered it,
-- and so to that product's domain, for good: unprovisioning keeps the row, so no other domain can take
-- the id over later. Input ports may still reference any published contract: they register nothing.
CREATE TABLE id_owners (
    -- 'product' or 'contract'
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    domain TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);

INSERT INTO id_owners (kind, id, product_id, domain, registered_at)
    SELECT 'product', id, id, domain, updated_at FROM products;

INSERT INTO id_owners (kind, id, product_id, domain, registered_at)
    SELECT 'contract', c.id, c.product_id, p.domain, c.updated_at
    FROM contracts c JOIN products p ON p.id = c.product_id;
