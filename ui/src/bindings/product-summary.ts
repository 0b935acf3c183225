/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/product-summary.schema.json
 */

/**
 * One line of the catalog list: what a person scans before opening a product.
 */
export interface ProductSummary {
  id: string;
  name: string;
  version?: string;
  status: string;
  domain?: string;
  /**
   * The product's stated purpose.
   */
  purpose?: string;
  /**
   * How many output ports the product has.
   */
  outputPorts: number;
  /**
   * When the catalog last wrote the product, RFC 3339 in UTC.
   */
  updatedAt: string;
}
