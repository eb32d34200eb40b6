import { WeightedTable } from './random';

/**
 * Pages of our web site (paths; `activities.url`).
 *
 * High-intent pages are `/pricing`, `/demo`, `/contact-sales`, `/product/...`, `/docs/...` and
 * `/compare/...`. Early in a buying cycle visitors read product pages and docs; late in it they
 * look at pricing, ask for a demo and compare vendors. Background visits (every account, any
 * time) are mostly the home page, the blog and careers; ~6% of them land on a high-intent page
 * by chance.
 */

const PRODUCT_PAGES = [
  '/product/sca',
  '/product/sast',
  '/product/container-security',
  '/product/secrets-detection',
  '/product/sbom',
];
const DOCS_PAGES = [
  '/docs/getting-started',
  '/docs/integrations/github-actions',
  '/docs/integrations/gitlab-ci',
  '/docs/integrations/jenkins',
  '/docs/cli',
  '/docs/api/authentication',
  '/docs/policies',
];
const BLOG_PAGES = [
  '/blog/what-is-an-sbom',
  '/blog/shift-left-security-explained',
  '/blog/log4shell-two-years-later',
  '/blog/securing-github-actions',
  '/blog/kubernetes-rbac-basics',
  '/blog/secrets-in-git-history',
  '/blog/owasp-top-10-for-developers',
  '/blog/container-image-hardening',
  '/blog/sca-vs-sast',
  '/blog/devsecops-metrics-that-matter',
  '/blog/supply-chain-attacks-timeline',
  '/blog/terraform-misconfigurations',
];

const HIGH_INTENT_PREFIXES = ['/pricing', '/demo', '/contact-sales', '/product/', '/docs/', '/compare/'];

/** Whether a visit to `url` is a buying signal (used by tests and by whoever reads the truth). */
export function isHighIntentPage(url: string): boolean {
  return HIGH_INTENT_PREFIXES.some((prefix) => url.startsWith(prefix));
}

function spread(pages: readonly string[], totalWeight: number): Array<[string, number]> {
  return pages.map((page) => [page, totalWeight / pages.length]);
}

/** Early in a cycle (awareness, consideration): product pages and docs. */
export const EARLY_CYCLE_PAGES = new WeightedTable<string>([
  ...spread(PRODUCT_PAGES, 50),
  ...spread(DOCS_PAGES, 40),
  ['/pricing', 6],
  ['/compare/snyk', 4],
]);

/** Late in a cycle (decision, purchase): pricing, demo, comparison. */
export const LATE_CYCLE_PAGES = new WeightedTable<string>([
  ['/pricing', 35],
  ['/demo', 22],
  ['/contact-sales', 5],
  ['/compare/snyk', 6],
  ...spread(PRODUCT_PAGES, 20),
  ...spread(DOCS_PAGES, 12),
]);

/** Any account, any time. */
export const BACKGROUND_PAGES = new WeightedTable<string>([
  ['/', 30],
  ...spread(BLOG_PAGES, 38),
  ['/careers', 9],
  ['/about', 5],
  ['/customers', 4],
  ['/events', 3],
  ['/legal/privacy', 2],
  ['/pricing', 1.5],
  ...spread(PRODUCT_PAGES, 2.5),
  ...spread(DOCS_PAGES, 2),
]);
