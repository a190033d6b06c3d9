// Confidence of a location indicator: how precisely it places a person. Caps only ever lower it.
export const CONFIDENCE_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

export const rankOf = (level: Confidence): number => CONFIDENCE_LEVELS.indexOf(level);

export const minConfidence = (a: Confidence, b: Confidence): Confidence => (rankOf(a) <= rankOf(b) ? a : b);

/** Base confidence from precision: city → high, region → medium, country → low, nothing → none. */
export function confidenceFromPrecision(location: { country: string | null; region: string | null; city: string | null }): Confidence {
  if (location.country === null) return 'none';
  if (location.city !== null) return 'high';
  if (location.region !== null) return 'medium';
  return 'low';
}
