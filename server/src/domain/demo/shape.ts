import { z } from 'zod';
import type { KeywordRow } from '../canonical';
import { SELLER_KINDS, SELLERS, type SellerKind } from './sellers';
import { UNCONFIGURED_KEYWORDS } from './keywords';

/**
 * The shape of a demo market: knobs that change what kind of market the generator draws, so
 * that the models can be judged on markets they were not built on (issue 21). The defaults give
 * the original demo market exactly (same seed → same rows).
 *
 * - seller: what is sold (sellers.ts): keywords, ideal customer, buying committee;
 * - buyingShare b: multiplies the rate of buying cycles, rate(fit) = b × (0.02 + 0.9 fit²) a
 *   year (buyingCycle.ts): the share of the market in a buying cycle at any time;
 * - cycleLength c: multiplies the lead time from first signal to the opportunity,
 *   c × (30 + 90 √U) days;
 * - noiseResearch n: multiplies the configured-keyword research of accounts that are not buying
 *   (background, 0.008 a day × n at size scale 1, backgroundActivity.ts);
 * - sizeMix s: multiplies the median head count, ln(employees) ~ N(ln(180 × industry × s), 1.9²);
 * - committeeEngagement e: multiplies the known engagement of the buying committee during a
 *   cycle (0.12 a day × e × intensity, cycleActivity.ts).
 */
export const marketShapeSchema = z
  .object({
    seller: z.enum(SELLER_KINDS).default('developer-security'),
    buyingShare: z.number().min(0.1).max(10).default(1),
    cycleLength: z.number().min(0.25).max(4).default(1),
    noiseResearch: z.number().min(0).max(50).default(1),
    sizeMix: z.number().min(0.05).max(20).default(1),
    committeeEngagement: z.number().min(0).max(10).default(1),
  })
  .strict();

export type MarketShape = z.input<typeof marketShapeSchema>;

/** A shape with every knob set, and what the generator reads from its seller. */
export interface ResolvedShape extends Required<Omit<MarketShape, 'seller'>> {
  readonly seller: SellerKind;
  /** The seller's configured generic keywords, all categories. */
  readonly configuredGeneric: readonly string[];
  /** Generic and branded. */
  readonly allConfigured: readonly string[];
  /** Research every company does that this seller has not configured (noise). */
  readonly unconfigured: readonly string[];
}

export function resolveShape(shape: MarketShape = {}): ResolvedShape {
  const parsed = marketShapeSchema.parse(shape);
  const seller = SELLERS[parsed.seller];
  const configuredGeneric = seller.keywordCategories.flatMap((group) => group.keywords);
  const allConfigured = [...configuredGeneric, ...seller.brandedKeywords];
  const configured = new Set(allConfigured);
  return {
    ...parsed,
    seller,
    configuredGeneric,
    allConfigured,
    unconfigured: UNCONFIGURED_KEYWORDS.filter((keyword) => !configured.has(keyword)),
  };
}

/** The configured keywords of the market's seller, as the keywords.csv rows (~20). */
export function demoKeywords(shape: MarketShape = {}): KeywordRow[] {
  const { seller } = resolveShape(shape);
  return [
    ...seller.keywordCategories.flatMap(({ category, keywords }) =>
      keywords.map((keyword): KeywordRow => ({ keyword, product_category: category, kind: 'generic' })),
    ),
    ...seller.brandedKeywords.map((keyword): KeywordRow => ({
      keyword,
      product_category: seller.product,
      kind: 'branded',
    })),
  ];
}
