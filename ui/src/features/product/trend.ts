// What a trend chart draws, apart from the chart library (which loads with the first chart).

/** The numbers of a rule's comparison (`mustBeLessThan 1`, `mustBeBetween [0, 5]`): its threshold lines. */
export function thresholdValues(threshold: string | undefined): number[] {
  if (!threshold) return [];
  return [...threshold.matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/gi)].map((m) => Number(m[0])).filter(Number.isFinite);
}
