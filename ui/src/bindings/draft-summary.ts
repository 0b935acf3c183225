/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/draft-summary.schema.json
 */

/**
 * A line of the draft list.
 */
export interface DraftSummary {
  id: string;
  /**
   * The document's `name`, or empty.
   */
  name: string;
  /**
   * The document's `id`, when one is typed.
   */
  productId?: string;
  /**
   * The wizard's step it was left at; absent for the product form's drafts.
   */
  step?: string;
  updatedAt: string;
}
