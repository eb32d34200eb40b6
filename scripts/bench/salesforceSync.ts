/**
 * Salesforce sync benchmark (issue 6): the first sync of 100,000 accounts and 500,000 people
 * (400,000 contacts, 100,000 leads) from the Salesforce stand-in, then the first write-back of
 * their scores, each by the real `signalfit` command in its own process, into a fresh PGlite
 * folder and a fresh PostgreSQL schema. Reports time and API calls against the issue's
 * ceilings: at most 1 call per 2,000 records read and 1 per 10,000 records written.
 *
 *   npm run bench:salesforce-sync
 *   BENCH_ACCOUNTS=20000 BENCH_STORES=postgres npm run bench:salesforce-sync
 *   BENCH_DATABASE_URL=postgres://…         # default postgres://postgres@127.0.0.1:5432/test
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { openPglite } from '../../server/src/store/pglite';
import { generateOrg } from '../../server/test/salesforceStandIn/generatedOrg';
import { startStandIn } from '../../server/test/salesforceStandIn/testing';
import { runSignalfit, schemaUrl } from './runSignalfit';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const PEOPLE_PER_ACCOUNT = 5;
const STORES = (process.env.BENCH_STORES ?? 'pglite,postgres').split(',');
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Step {
  seconds: number;
  apiCalls: number;
  records: number;
  stdout: string;
}

async function main() {
  const { standIn, settings } = await startStandIn({ dailyApiLimit: 1_000_000 });
  const generated = Date.now();
  const org = generateOrg(standIn, {
    accounts: ACCOUNTS,
    peoplePerAccount: PEOPLE_PER_ACCOUNT,
    at: new Date('2026-01-05T00:00:00Z'),
    withActivities: false,
  });
  const records = org.accounts.length + org.people.length;
  process.stderr.write(
    `stand-in holds ${records.toLocaleString('en-US')} records (${((Date.now() - generated) / 1000).toFixed(1)} s)\n`,
  );

  const sfEnv = {
    SALESFORCE_LOGIN_URL: settings.loginUrl,
    SALESFORCE_CLIENT_ID: settings.clientId,
    SALESFORCE_USERNAME: settings.username,
    SALESFORCE_PRIVATE_KEY: settings.privateKeyPem,
    LOG_LEVEL: 'silent',
  };
  const results: Record<string, { sync?: Step; writeback?: Step }> = {};
  const stores = STORES.map((name) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'signalfit-bench-sf-'));
    const schema = `bench_sf_${randomBytes(4).toString('hex')}`;
    const pool = name === 'postgres' ? new Pool({ connectionString: PG_URL, max: 1 }) : null;
    const storeEnv =
      name === 'postgres' ? { DATABASE_URL: schemaUrl(PG_URL, schema) } : { SIGNALFIT_DATA_DIR: dataDir };
    results[name] = {};
    return { name, dataDir, schema, pool, env: { ...process.env, ...sfEnv, ...storeEnv } };
  });
  /** Runs the command and counts the API requests the stand-in received meanwhile. */
  const measured = async (args: string[], env: NodeJS.ProcessEnv): Promise<Step> => {
    standIn.requests.length = 0;
    const run = await runSignalfit(args, env);
    process.stderr.write(run.stdout);
    return { ...run, apiCalls: standIn.apiRequests().length, records };
  };
  try {
    // Every store syncs before any write-back: a write-back changes the records (their
    // SystemModstamp), and a sync leaves changes of the last minute to its next run.
    for (const store of stores) {
      if (store.pool) await store.pool.query(`CREATE SCHEMA ${store.schema}`);
      await runSignalfit(['writeback', 'salesforce'], store.env); // creates and migrates the store
      results[store.name]!.sync = await measured(['sync', 'salesforce'], store.env);
    }
    for (const store of stores) {
      await scoreEverything(store.dataDir, store.pool, store.schema);
      results[store.name]!.writeback = await measured(['writeback', 'salesforce'], store.env);
    }
  } finally {
    for (const store of stores) {
      if (store.pool) {
        await store.pool.query(`DROP SCHEMA IF EXISTS ${store.schema} CASCADE`);
        await store.pool.end();
      }
      rmSync(store.dataDir, { recursive: true, force: true });
    }
  }
  await standIn.close();

  for (const [store, { sync, writeback }] of Object.entries(results) as [
    string,
    { sync: Step; writeback: Step },
  ][]) {
    const readPerCall = sync.records / sync.apiCalls;
    const writtenPerCall = writeback.records / writeback.apiCalls;
    console.log(
      `${store.padEnd(9)} sync ${sync.seconds.toFixed(1)} s, ${sync.apiCalls} calls (${Math.round(readPerCall).toLocaleString('en-US')} records/call, ceiling 2,000: ${readPerCall >= 2000 ? 'met' : 'NOT met'}); ` +
        `write-back ${writeback.seconds.toFixed(1)} s, ${writeback.apiCalls} calls (${Math.round(writtenPerCall).toLocaleString('en-US')} records/call, ceiling 10,000: ${writtenPerCall >= 10_000 ? 'met' : 'NOT met'})`,
    );
  }
  console.log(
    JSON.stringify({
      accounts: ACCOUNTS,
      people: ACCOUNTS * PEOPLE_PER_ACCOUNT,
      results: Object.fromEntries(
        Object.entries(results).map(([k, v]) => [
          k,
          { sync: { ...v.sync, stdout: undefined }, writeback: { ...v.writeback, stdout: undefined } },
        ]),
      ),
    }),
  );
}

/** A complete score run over every synced account and person (what `signalfit score` would store). */
async function scoreEverything(dataDir: string, pool: Pool | null, schema: string) {
  const sql = [
    "INSERT INTO score_runs (id, as_of, status, finished_at) VALUES (1, '2026-01-07', 'complete', now())",
    `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, reach, qualified)
     SELECT 1, id, abs(hashtext(id)) % 101, 'Awareness', 'Medium', false FROM accounts`,
    `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade, persona)
     SELECT 1, id, account_id, abs(hashtext(id)) % 101, 'C', 'Practitioner' FROM contacts`,
  ];
  if (pool) {
    for (const statement of sql) await pool.query(`SET search_path TO ${schema}; ${statement}`);
    return;
  }
  const db = await openPglite(dataDir);
  try {
    for (const statement of sql) await db.exec(statement);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
