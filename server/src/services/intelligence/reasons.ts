/** One signal behind a score; a positive weight raised it, a negative one lowered it. */
export interface Reason {
  text: string;
  weight: number;
}

/** Reasons of one kind from a stored `reasons` object, strongest first, malformed entries dropped. */
export function reasonsOf(stored: unknown, kind: string, limit = 5): Reason[] {
  if (!stored || typeof stored !== 'object') return [];
  const list = (stored as Record<string, unknown>)[kind];
  if (!Array.isArray(list)) return [];
  return list
    .filter(
      (entry): entry is Reason =>
        !!entry &&
        typeof entry === 'object' &&
        typeof (entry as Reason).text === 'string' &&
        typeof (entry as Reason).weight === 'number' &&
        Number.isFinite((entry as Reason).weight),
    )
    .map((entry) => ({ text: entry.text, weight: entry.weight }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, limit);
}
