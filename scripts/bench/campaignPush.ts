/**
 * Campaign push benchmark (issue 15): pushToSalesforce creates 5,000 Leads and adds each to a
 * campaign in the Salesforce stand-in, through the real jsforce and Bulk API 2.0, on a fresh
 * PGlite store and a fresh PostgreSQL schema. Reports the API calls (the login, every job
 * check and every result download included) against the ceiling of 30, and the time.
 * The stand-in answers InProgress to the first BENCH_POLLS - 1 checks of each job, as a busy
 * org would; the push's own poll schedule is used (2 s, doubling), so each extra check costs
 * real waiting.
 *
 *   npm run bench:campaign-push
 *   BENCH_PEOPLE=5000 BENCH_RUNS=3 BENCH_POLLS=2 BENCH_STORES=pglite,postgres
 *   BENCH_DATABASE_URL=postgres://…         # default postgres://postgres@127.0.0.1:5432/test
 */
import os from 'node:os';
import { connectSalesforce } from '../../server/src/integrations/salesforce/client';
import { OPERATOR } from '../../server/src/policies/policies';
import type { PushPerson } from '../../server/src/services/orchestrations/push';
import { pushToSalesforce } from '../../server/src/services/orchestrations/salesforcePush';
import type { Db } from '../../server/src/store/db';
import { testStoreTargets } from '../../server/src/store/testing';
import { startStandIn } from '../../server/test/salesforceStandIn/testing';
import { median, PG_URL } from './benchStores';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const POLLS = Number(process.env.BENCH_POLLS ?? 2);
const STORES = (process.env.BENCH_STORES ?? 'pglite,postgres').split(',');
const CEILING = 30;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Run {
  seconds: number;
  apiCalls: number;
  logins: number;
  jobs: number;
  pushed: number;
}

/** Fresh stores as the tests open them: a migrated PGlite, a PostgreSQL schema dropped at close. */
function openStore(name: string): Promise<Db> {
  process.env.TEST_DATABASE_URL ??= PG_URL;
  const target = testStoreTargets().find((t) => t.name === name);
  if (!target) throw new Error(`unknown store ${name}: pglite or postgres`);
  return target.open();
}

function people(run: number): PushPerson[] {
  return Array.from({ length: PEOPLE }, (_, i) => ({
    key: `purchase:${run}-${i}`,
    email: `person${i}.run${run}@company${i % 500}.example.com`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    title: ['CISO', 'VP Engineering', 'Director of IT', 'DevOps Manager'][i % 4]!,
    accountId: `acct-${i % 500}`,
    accountName: `Company ${i % 500}`,
    accountSalesforceId: null,
    country: ['US', 'AU', 'JP', 'IN'][i % 4]!,
    existing: null,
    sourceType: 'Orchestration',
  }));
}

async function measure(store: string, run: number): Promise<Run> {
  const { standIn, settings } = await startStandIn({ pollsUntilComplete: POLLS - 1 });
  const db = await openStore(store);
  try {
    const campaign = standIn.insert('Campaign', { Name: 'Bench campaign', Type: 'Email' });
    const batch = people(run);
    const started = process.hrtime.bigint();
    const client = await connectSalesforce(settings);
    const outcomes = await pushToSalesforce({
      db,
      client,
      scope: `bench-${run}`,
      campaignId: campaign,
      create: 'lead',
      actor: OPERATOR,
      people: batch,
      now: () => new Date(),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const logins = standIn.requests.filter((r) => r.path === '/services/oauth2/token').length;
    const members = [...standIn.records.get('CampaignMember')!.values()].length;
    const pushed = outcomes.filter((o) => o.ok).length;
    if (pushed !== PEOPLE || members !== PEOPLE)
      throw new Error(`expected ${PEOPLE} pushed and members, got ${pushed} pushed, ${members} members`);
    return {
      seconds,
      apiCalls: client.usage.calls + logins,
      logins,
      jobs: standIn.apiRequests().filter((r) => r.method === 'POST' && /\/jobs\/ingest$/.test(r.path)).length,
      pushed,
    };
  } finally {
    await db.close();
    await standIn.close();
  }
}

async function main() {
  log(
    `campaign push: ${PEOPLE} people, ${RUNS} runs per store, ${POLLS} checks per job; load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  const results: Record<string, Run[]> = {};
  for (const store of STORES) {
    results[store] = [];
    for (let run = 1; run <= RUNS; run++) {
      const result = await measure(store, run);
      results[store]!.push(result);
      log(
        `  ${store} run ${run}: ${result.seconds.toFixed(2)} s, ${result.apiCalls} API calls (${result.logins} login, ${result.jobs} jobs)`,
      );
    }
  }
  for (const [store, runs] of Object.entries(results)) {
    const calls = median(runs.map((r) => r.apiCalls));
    console.log(
      `${store.padEnd(9)} ${PEOPLE} people: median ${median(runs.map((r) => r.seconds)).toFixed(2)} s, ` +
        `${calls} API calls (ceiling ${CEILING}: ${calls <= CEILING ? 'met' : 'NOT met'})`,
    );
  }
  console.log(JSON.stringify({ people: PEOPLE, pollsPerJob: POLLS, results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
