/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/notice-counts.schema.json
 */

/**
 * How many notices of each view the user has not seen: the navigation's badges.
 */
export interface NoticeCounts {
  incidents: number;
  access: number;
}
