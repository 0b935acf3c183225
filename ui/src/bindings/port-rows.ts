/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/port-rows.schema.json
 */

/**
 * `GET /v1/products/{id}/ports/{port}/rows`: a page of a port table's rows.
 */
export interface PortRows {
  table: string;
  columns: string[];
  /**
   * Each row, a value per column in `columns`' order.
   */
  rows: unknown[][];
  /**
   * The `cursor` of the next page, absent on the last.
   */
  nextCursor?: string;
}
