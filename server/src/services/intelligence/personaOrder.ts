import { loadScoringSettings } from '../scoring/settings';
import type { Db } from '../../store/db';

/** How long the persona order is reused before the settings are read again. */
export const PERSONA_ORDER_TTL_MS = 30_000;

/**
 * The persona map's personas in priority order, from the scoring settings (the shipped defaults
 * unless an operator changed them). Read at most every 30 s: the account view asks on every
 * request, and the settings change rarely.
 */
export function personaOrder(
  db: Db,
  now: () => number = Date.now,
): () => Promise<readonly { name: string }[]> {
  let cached: { at: number; personas: Promise<readonly { name: string }[]> } | undefined;
  return () => {
    if (!cached || now() - cached.at > PERSONA_ORDER_TTL_MS) {
      const personas = loadScoringSettings(db).then((settings) =>
        settings.personas.map((p) => ({ name: p.name })),
      );
      cached = { at: now(), personas };
      personas.catch(() => (cached = undefined));
    }
    return cached.personas;
  };
}
