// The figures of a key project, as the province view shows them. Pure: the service feeds them
// from the database; a test computes them by hand.

/** Percent with two decimals, or null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.round((part / whole) * 10_000) / 100;
}

/**
 * Overall physical progress: the segments' latest percentages weighted by their length
 * (a 3 km segment at 80% and a 1 km one at 40% make 70%). Null without segments.
 */
export function weightedProgress(segments: readonly { lengthKm: number; progress: number }[]): number | null {
  const length = segments.reduce((s, x) => s + x.lengthKm, 0);
  if (!(length > 0)) return null;
  const weighted = segments.reduce((s, x) => s + x.lengthKm * x.progress, 0);
  return Math.round((weighted / length) * 100) / 100;
}

/** A percentage someone entered: 0–100 inclusive. */
export const isPercent = (value: number) => Number.isFinite(value) && value >= 0 && value <= 100;
