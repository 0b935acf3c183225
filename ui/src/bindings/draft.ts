/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/draft.schema.json
 */

/**
 * A product being written, saved locally as it is typed.
 */
export interface Draft {
  id: string;
  /**
   * The document as typed so far: any JSON, valid or not.
   */
  document: {
    [k: string]: unknown | undefined;
  };
  /**
   * The wizard's step it was left at; absent for the product form's drafts.
   */
  step?: string;
  /**
   * When it was last saved (RFC 3339).
   */
  updatedAt: string;
}
