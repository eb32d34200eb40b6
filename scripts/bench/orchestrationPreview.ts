/**
 * Orchestration preview benchmark (issue 15): the preview of an acquire_contacts orchestration
 * over a segment of 10,000 accounts with 200,000 provider rows (a real csv provider folder), on
 * PostgreSQL and on PGlite; target < 5 s. Median of BENCH_RUNS previews after one cold preview
 * (the first reads and checks the provider file; later ones reuse its reading while the file is
 * unchanged).
 *
 *   npm run bench:orchestration-preview
 *   TEST_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/test (a fresh schema, dropped after)
 *   BENCH_RUNS=5  BENCH_STORES=postgres,pglite
 *
 * The market is made by set-based SQL: 12,000 accounts (10,000 in the segment), 3 contacts each
 * (one in 20 with the address of a provider row, one in 50 opted out), 4 web visits per account,
 * and a complete score run that recorded the segment's members.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { csvProvider, PROVIDER_FILE } from '../../server/src/integrations/providers/csvProvider';
import { OPERATOR } from '../../server/src/policies/policies';
import { findOrchestration } from '../../server/src/services/orchestrations/orchestrationRecords';
import { previewOrchestration } from '../../server/src/services/orchestrations/previewOrchestration';
import {
  gatherSelectionInput,
  emailFacts,
  segmentAccounts,
} from '../../server/src/services/orchestrations/selectionInput';
import { selectCandidates } from '../../server/src/domain/orchestrations/selectCandidates';
import { recordSegmentMembership } from '../../server/src/services/segments/membership';
import type { Db } from '../../server/src/store/db';
import { migrate } from '../../server/src/store/migrate';
import { openPglite } from '../../server/src/store/pglite';
import { openPostgres, quoteIdent } from '../../server/src/store/postgres';
import { median } from './benchStores';

const URL_ = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const STORES = (process.env.BENCH_STORES ?? 'postgres,pglite').split(',');
const ACCOUNTS = 12_000;
const IN_SEGMENT = 10_000;
const ROWS_PER_ACCOUNT = 20;
const log = (line: string) => process.stderr.write(`${line}\n`);

const LEVELS = ['C-Level', 'VP', 'Director', 'Manager', 'Staff'];
const FUNCTIONS = ['Engineering', 'IT', 'Finance', 'Marketing', 'Sales'];
const COUNTRIES = ['US', 'US', 'US', 'CA', 'DE', 'AU', 'GB', 'JP'];

/** provider_contacts.csv: 20 rows at each segment account's domain, some without email, some known. */
function writeProviderFile(dir: string): void {
  const lines = [
    'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost',
  ];
  for (let a = 1; a <= IN_SEGMENT; a += 1) {
    for (let r = 0; r < ROWS_PER_ACCOUNT; r += 1) {
      const i = a * ROWS_PER_ACCOUNT + r;
      const email = i % 37 === 0 ? '' : `person${i}@company${a}.example`;
      lines.push(
        [
          `P${i}`,
          email,
          'Pat',
          `Person${i}`,
          `${LEVELS[i % 5]} of ${FUNCTIONS[(i >> 2) % 5]}`,
          LEVELS[i % 5],
          FUNCTIONS[(i >> 2) % 5],
          `company${a}.example`,
          COUNTRIES[i % COUNTRIES.length],
          'ABCD'[i % 4],
          i % 3 === 0 ? '' : String(1 + (i % 4)),
        ].join(','),
      );
    }
  }
  writeFileSync(path.join(dir, PROVIDER_FILE), `${lines.join('\n')}\n`);
}

async function fill(db: Db, providerDir: string): Promise<void> {
  await db.exec(`
    INSERT INTO accounts (id, name, domain, industry, country)
    SELECT 'acc-' || lpad(i::text, 6, '0'), 'Company ' || i, 'https://www.company' || i || '.example/',
           CASE WHEN i <= ${IN_SEGMENT} THEN 'Software' ELSE 'Retail' END,
           (ARRAY['US','GB','DE','FR','CA','AU'])[1 + (i * 13) % 6]
      FROM generate_series(1, ${ACCOUNTS}) i;
    INSERT INTO contacts (id, account_id, email, kind, opted_out, country)
    SELECT 'con-' || i || '-' || k, 'acc-' || lpad(i::text, 6, '0'),
           CASE WHEN k = 0 AND i % 20 = 0 THEN 'Person' || (i * ${ROWS_PER_ACCOUNT} + 1) || '@company' || i || '.example'
                ELSE 'staff' || k || '@company' || i || '.example' END,
           CASE WHEN k = 2 THEN 'lead' ELSE 'contact' END, (i + k) % 50 = 0,
           (ARRAY['US','DE','JP'])[1 + (i + k) % 3]
      FROM generate_series(1, ${ACCOUNTS}) i, generate_series(0, 2) k;
    INSERT INTO activities (id, occurred_at, account_id, contact_id, type)
    SELECT 'act-' || i || '-' || k, timestamptz '2026-10-01' + k * interval '1 day', 'acc-' || lpad(i::text, 6, '0'),
           CASE WHEN k % 2 = 0 THEN 'con-' || i || '-' || (k % 3) END, 'web_visit'
      FROM generate_series(1, ${ACCOUNTS}) i, generate_series(0, 3) k;
    INSERT INTO score_runs (id, as_of, status, finished_at, model_version, accounts, people)
    VALUES (1, DATE '2026-11-01', 'complete', now(), 'bench', ${ACCOUNTS}, 0);
  `);
  const [segment] = await db.query<{ id: string }>(
    `INSERT INTO segments (name, kind, definition) VALUES ('Software', 'filter', $1::jsonb) RETURNING id`,
    [JSON.stringify({ field: 'industry', op: 'eq', value: 'Software' })],
  );
  await recordSegmentMembership(db, Number(segment!.id));
  const [provider] = await db.query<{ id: string }>(
    `INSERT INTO contact_providers (name, type, settings) VALUES ('Bench', 'csv', $1::jsonb) RETURNING id`,
    [JSON.stringify({ dir: providerDir })],
  );
  await db.query(
    `INSERT INTO orchestrations (name, goal, segment_id, provider_id, target, filters, cooldown_days)
     VALUES ('Bench', 'acquire_contacts', $1, $2, '{"type":"csv"}', $3::jsonb, 30)`,
    [
      Number(segment!.id),
      Number(provider!.id),
      JSON.stringify({
        titles: [{ levels: ['C-Level', 'VP', 'Director'] }, { functions: ['Engineering', 'IT'] }],
        usePersonaMap: true,
        prioritizeVisitedCountries: true,
        minEmailConfidence: 'C',
        maxPerAccount: 3,
      }),
    ],
  );
}

async function measure(name: string, db: Db, providerDir: string): Promise<void> {
  let started = Date.now();
  await migrate(db);
  await fill(db, providerDir);
  log(`${name}: market filled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const orchestration = await findOrchestration(db, 'Bench');
  const openProvider = async () => csvProvider('Bench', providerDir);
  const preview = () =>
    previewOrchestration({
      db,
      orchestration,
      actor: OPERATOR,
      now: new Date('2026-11-20T10:00:00Z'),
      openProvider,
    });
  if (process.env.BENCH_STAGES) await stages(db, orchestration, providerDir);
  started = Date.now();
  const cold = await preview();
  const coldSeconds = (Date.now() - started) / 1000;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    started = Date.now();
    await preview();
    times.push((Date.now() - started) / 1000);
  }
  log(
    `${name}: ${cold.counts.accounts} accounts, ${cold.counts.candidates} candidates, ${cold.counts.toBuy} to buy; ` +
      `skipped ${JSON.stringify(cold.counts.skipped)}`,
  );
  log(
    `${name}: cold ${coldSeconds.toFixed(2)} s; median of ${RUNS} ${median(times).toFixed(2)} s ` +
      `(${times.map((t) => t.toFixed(2)).join(', ')}) — target < 5 s`,
  );
}

/** BENCH_STAGES=1: the time of each step of the preview, to see where it goes. */
async function stages(
  db: Db,
  orchestration: Awaited<ReturnType<typeof findOrchestration>>,
  providerDir: string,
) {
  const provider = csvProvider('Bench', providerDir);
  await provider.search(['warm.example']);
  const time = async <T>(label: string, work: () => Promise<T> | T): Promise<T> => {
    const started = Date.now();
    const out = await work();
    log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(2)} s`);
    return out;
  };
  const accounts = await time('segment accounts', () => segmentAccounts(db, orchestration));
  const domains = accounts.map((a) => a.domain!.replace(/^https:\/\/www\./, '').replace(/\/$/, ''));
  const rows = await time('provider search', () => provider.search(domains));
  const emails = rows.map((r) => r.email).filter((e): e is string => !!e);
  await time('known and opted-out emails', () => emailFacts(db, emails));
  const { input } = await time('gather', () =>
    gatherSelectionInput({ db, orchestration, provider, now: new Date() }),
  );
  await time('select', () => selectCandidates(input));
}

async function main(): Promise<void> {
  const providerDir = mkdtempSync(path.join(tmpdir(), 'signalfit-bench-provider-'));
  try {
    writeProviderFile(providerDir);
    log(`provider file: ${IN_SEGMENT * ROWS_PER_ACCOUNT} rows`);
    if (STORES.includes('postgres')) {
      const schema = `bench_orch_${randomBytes(4).toString('hex')}`;
      const db = await openPostgres({ connectionString: URL_, schema, maxConnections: 4 });
      try {
        await measure('PostgreSQL', db, providerDir);
      } finally {
        await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
        await db.close();
      }
    }
    if (STORES.includes('pglite')) {
      const db = await openPglite();
      try {
        await measure('PGlite', db, providerDir);
      } finally {
        await db.close();
      }
    }
  } finally {
    rmSync(providerDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
