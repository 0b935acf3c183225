-- Which products' input ports read a contract: the downstream side of the lineage (a product's
-- page, its Lineage tab), found by index rather than by reading every product's input ports.
CREATE TABLE product_inputs (
    contract_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    PRIMARY KEY (contract_id, product_id)
);
CREATE INDEX product_inputs_by_product ON product_inputs (product_id);

INSERT OR IGNORE INTO product_inputs (contract_id, product_id)
SELECT port.value ->> '$.contractId', p.id
FROM products p, json_each(p.document, '$.inputPorts') port
WHERE port.type = 'object' AND port.value ->> '$.contractId' IS NOT NULL;
