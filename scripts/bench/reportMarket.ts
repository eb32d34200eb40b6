/**
 * A synthetic market for the report benchmarks (issue 16), generated inside PostgreSQL with
 * set-based `INSERT … SELECT generate_series` statements: accounts, a few contacts per account,
 * opportunities, activities of every canonical type and source spread over the months before
 * `endDay`, and the configured keywords. Values come from `hashint8extended(i, seed)`, so the same
 * options give the same market. The numbers are synthetic: this measures the report queries, not
 * the market's realism (the demo generator does that).
 *
 * Ids: accounts `acct-0000001`…, contacts `ct-0000001-0`… (three per account), opportunities
 * `opp-…`, activities `act-…`. Keywords `kw-1` … `kw-30` are researched; `kw-1` … `kw-20` are
 * configured.
 */
import type { Db } from '../../server/src/store/db';

export interface ReportMarketOptions {
  accounts: number;
  activities: number;
  /** How many whole months before `endDay` the activities and opportunities cover. */
  months: number;
  /** YYYY-MM-DD: the first day after the market (nothing happens on or after it). */
  endDay: string;
  seed: number;
}

const CONTACTS_PER_ACCOUNT = 3;
const CONFIGURED_KEYWORDS = 20;
const RESEARCHED_KEYWORDS = 30;
const BATCH = 1_000_000;

/** A deterministic number in [0, modulo) for `expr` and salt `k` (one salt per column). */
function hash(seed: number, expr: string, k: number, modulo: number): string {
  return `(abs(hashint8extended((${expr})::bigint, ${seed * 64 + k})) % ${modulo})`;
}

function accountId(expr: string): string {
  return `'acct-' || lpad((${expr})::text, 7, '0')`;
}

/**
 * Activity types by weight (out of 1000), with the source each takes; `$h` is a hash in [0, 1000)
 * for the source choice. Web visits are anonymous half of the time (no contact).
 */
const TYPES: [type: string, weight: number, source: string][] = [
  ['keyword_research', 250, `(ARRAY['first_party','bombora','g2','trustradius'])[1 + $h % 4]`],
  ['web_visit', 200, `'web'`],
  ['ad_impression', 180, `(ARRAY['ads','linkedin','dsp'])[1 + $h % 3]`],
  ['email_sent', 100, `'map'`],
  ['email_open', 60, `'map'`],
  ['email_click', 30, `'map'`],
  ['form_fill', 10, `'map'`],
  ['ad_click', 30, `(ARRAY['ads','linkedin','dsp'])[1 + $h % 3]`],
  ['webinar', 10, `'map'`],
  ['trade_show', 5, `'crm'`],
  ['field_event', 5, `'crm'`],
  ['sales_email', 60, `'crm'`],
  ['sales_call', 30, `'crm'`],
  ['sales_meeting', 10, `'crm'`],
  ['sales_reply', 20, `'outreach'`],
];

/** Fills an empty store (migrated) with the market; see the file's comment for its shape. */
export async function seedReportMarket(db: Db, options: ReportMarketOptions): Promise<void> {
  const { accounts, activities, months, endDay, seed } = options;
  const h = (expr: string, k: number, modulo: number) => hash(seed, expr, k, modulo);
  const end = `DATE '${endDay}'`;
  const start = `(${end} - interval '${months} months')`;
  const span = `extract(epoch FROM (${end}::timestamptz - ${start}::timestamptz))`;
  /** A moment in [start, end) from a hash in [0, 1,000,000). */
  const momentOf = (fraction: string) =>
    `(${start}::timestamptz + make_interval(secs => ${span} * ${fraction} / 1000000.0))`;

  await db.exec(
    `INSERT INTO keywords (keyword, product_category, kind)
     SELECT 'kw-' || k, 'Platform', CASE WHEN k <= 3 THEN 'branded' ELSE 'generic' END
       FROM generate_series(1, ${CONFIGURED_KEYWORDS}) AS k`,
  );

  for (let from = 1; from <= accounts; from += BATCH) {
    const to = Math.min(accounts, from + BATCH - 1);
    await db.exec(
      `INSERT INTO accounts (id, name, domain, industry, employees, annual_revenue, country, created_at)
       SELECT ${accountId('i')}, 'Account ' || i, 'account' || i || '.example',
              (ARRAY['Software','Healthcare','Manufacturing','Financial Services','Retail','Education'])[1 + ${h('i', 1, 6)}],
              10 + ${h('i', 2, 20000)}, ${h('i', 3, 1000000)} * 1000,
              (ARRAY['US','GB','DE','FR','CA'])[1 + ${h('i', 4, 5)}], ${start}
         FROM generate_series(${from}, ${to}) AS i`,
    );
    await db.exec(
      `INSERT INTO contacts (id, account_id, email, first_name, last_name, job_level, job_function, kind, created_at)
       SELECT 'ct-' || lpad(i::text, 7, '0') || '-' || k, ${accountId('i')},
              'person' || k || '@account' || i || '.example', 'Person', i || '-' || k,
              (ARRAY['C-Level','VP','Director','Manager','Staff'])[1 + ${h('i * 8 + k', 5, 5)}],
              (ARRAY['Marketing','Sales','IT','Finance'])[1 + ${h('i * 8 + k', 6, 4)}],
              CASE WHEN k = 2 THEN 'lead' ELSE 'contact' END, ${start}
         FROM generate_series(${from}, ${to}) AS i, generate_series(0, ${CONTACTS_PER_ACCOUNT - 1}) AS k`,
    );
  }

  // About one opportunity for every four accounts: some blank or zero amounts, some in EUR or
  // without a currency, a quarter won, some explicitly not relevant.
  const opportunities = Math.max(1, Math.floor(accounts / 4));
  for (let from = 1; from <= opportunities; from += BATCH) {
    const to = Math.min(opportunities, from + BATCH - 1);
    await db.exec(
      `INSERT INTO opportunities (id, account_id, name, type, amount, currency, stage, is_closed, is_won, relevant, created_at, closed_at)
       SELECT 'opp-' || j, ${accountId(`1 + ${h('j', 10, accounts)}`)}, 'Opportunity ' || j,
              (ARRAY['New Business','Renewal','Upsell'])[1 + ${h('j', 11, 3)}],
              CASE WHEN r % 10 = 0 THEN NULL WHEN r % 10 = 1 THEN 0 ELSE 1000 + ${h('j', 12, 99000)} END,
              CASE WHEN c < 80 THEN 'USD' WHEN c < 90 THEN NULL ELSE 'EUR' END,
              CASE WHEN w < 25 THEN 'Closed Won' WHEN w < 50 THEN 'Closed Lost' ELSE 'Open' END,
              w < 50, w < 25,
              CASE WHEN ${h('j', 13, 10)} = 0 THEN false ELSE NULL END,
              created, CASE WHEN w < 50 THEN least(created + make_interval(days => ${h('j', 14, 60)}::int), ${end}::timestamptz - interval '1 second') END
         FROM (SELECT j, ${h('j', 15, 100)} AS r, ${h('j', 16, 100)} AS c, ${h('j', 17, 100)} AS w,
                      ${momentOf(h('j', 18, 1000000))} AS created
                 FROM generate_series(${from}, ${to}) AS j) o`,
    );
  }

  // The type of activity i: a hash in [0, 1000) against the cumulative weights.
  let bound = 0;
  const typeCases = TYPES.map(([type, weight]) => {
    bound += weight;
    return `WHEN t < ${bound} THEN '${type}'`;
  }).join(' ');
  if (bound !== 1000) throw new Error(`the activity type weights add up to ${bound}, not 1000`);
  const sourceCases = TYPES.map(
    ([type, , source]) => `WHEN '${type}' THEN ${source.replaceAll('$h', 's')}`,
  ).join(' ');
  for (let from = 1; from <= activities; from += BATCH) {
    const to = Math.min(activities, from + BATCH - 1);
    await db.exec(
      `INSERT INTO activities (id, occurred_at, account_id, contact_id, type, source, keyword)
       SELECT 'act-' || i, ${momentOf('m')}, ${accountId('a')},
              CASE WHEN type IN ('keyword_research', 'ad_impression') THEN NULL
                   WHEN type = 'web_visit' AND p % 2 = 0 THEN NULL
                   ELSE 'ct-' || lpad(a::text, 7, '0') || '-' || (p % ${CONTACTS_PER_ACCOUNT}) END,
              type, CASE type ${sourceCases} END,
              CASE WHEN type = 'keyword_research' THEN 'kw-' || (1 + s % ${RESEARCHED_KEYWORDS}) END
         FROM (SELECT i, a, m, p, s, CASE ${typeCases} END AS type
                 FROM (SELECT i, 1 + ${h('i', 20, accounts)} AS a, ${h('i', 21, 1000000)} AS m,
                              ${h('i', 22, 1000)} AS t, ${h('i', 23, 1000)} AS p, ${h('i', 24, 1000)} AS s
                         FROM generate_series(${from}, ${to}) AS i) raw) typed`,
    );
  }
}

/**
 * Complete score runs as of each of `days` (YYYY-MM-DD) with synthetic account scores: each
 * account's intent score is a hash of (account, day), so stages move between runs. Returns the
 * run ids in the order of `days`.
 */
export async function seedReportRuns(
  db: Db,
  options: { accounts: number; days: readonly string[]; seed: number },
): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, day] of options.days.entries()) {
    const [run] = await db.query<{ id: string }>(
      `INSERT INTO score_runs (as_of, status, finished_at, model_version, accounts, people)
       VALUES ($1, 'complete', now(), 'bench-synthetic', $2, 0) RETURNING id::text AS id`,
      [day, options.accounts],
    );
    const h = (expr: string, k: number, modulo: number) => hash(options.seed * 100 + index, expr, k, modulo);
    for (let from = 1; from <= options.accounts; from += BATCH) {
      const to = Math.min(options.accounts, from + BATCH - 1);
      await db.exec(
        `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified)
         SELECT ${run!.id}, ${accountId('i')}, intent,
                CASE WHEN intent >= 90 THEN 'Purchase' WHEN intent >= 75 THEN 'Decision'
                     WHEN intent >= 55 THEN 'Consideration' WHEN intent >= 30 THEN 'Awareness' ELSE 'Target' END,
                profile, CASE WHEN profile >= 81 THEN 'Strong' WHEN profile >= 50 THEN 'Moderate' ELSE 'Weak' END,
                'Medium', profile >= 50 AND intent >= 75
           FROM (SELECT i, ${h('i', 30, 101)} AS intent, ${h('i', 31, 101)} AS profile
                   FROM generate_series(${from}, ${to}) AS i) scored`,
      );
    }
    ids.push(run!.id);
  }
  return ids;
}
