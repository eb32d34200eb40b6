/**
 * Crash safety of `signalfit sync salesforce` and `signalfit writeback salesforce` (issue 6):
 * the real command runs in a child process against the Salesforce stand-in and is killed with
 * SIGKILL at chosen requests (the stand-in calls back once it has answered one, so the child is
 * mid-way: landing a page, recording a job, between upload and close…). Run again to the end,
 * the store must equal that of an uninterrupted run, and every changed row must be applied in
 * Salesforce exactly once.
 */
import { cliEnv, collect, runCli, spawnCli, type CliResult } from '../../cli/testing';
import type { Db } from '../../store/db';
import { processStoreTargets, type ProcessStore } from '../../store/testing';
import { generateOrg } from '../../../test/salesforceStandIn/generatedOrg';
import type { ReceivedRequest, SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';

jest.setTimeout(300_000);

/**
 * The tables a sync writes, with the columns compared (timestamps of the landing left out). A
 * `landedAt` column holds when a fact reached the store (contacts.opted_out_at, migration 0023):
 * compared by whether a row has one, not by the moment.
 */
const SYNCED_TABLES: Record<string, { columns: string; key: string; landedAt?: string }> = {
  accounts: { columns: '*', key: 'id' },
  contacts: { columns: '*', key: 'id', landedAt: 'opted_out_at' },
  opportunities: { columns: '*', key: 'id' },
  activities: { columns: '*', key: 'id' },
  salesforce_records: { columns: '*', key: 'id' },
  salesforce_sync_rejects: { columns: 'sobject, id, reason', key: 'id' },
  account_crm_fields: { columns: 'account_id, field_values', key: 'account_id' },
};

async function syncedContents(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, { columns, key, landedAt }] of Object.entries(SYNCED_TABLES)) {
    const select = landedAt
      ? `to_jsonb(t) - '${landedAt}' AS row, ${landedAt} IS NOT NULL AS landed`
      : columns;
    out[table] = JSON.stringify(
      await db.query(`SELECT ${select} FROM ${table} t ORDER BY ${key} COLLATE "C"`),
    );
  }
  return out;
}

describe.each(processStoreTargets('sf-crash'))(
  'Salesforce sync and write-back killed with SIGKILL, on $name',
  (factory) => {
    let standIn: SalesforceStandIn;
    let sfEnv: Record<string, string>;
    let interrupted: ProcessStore;
    let reference: ProcessStore;

    beforeAll(async () => {
      const started = await startStandIn({ maxPageRecords: 100 });
      standIn = started.standIn;
      const { settings } = started;
      generateOrg(standIn, { accounts: 300, peoplePerAccount: 5, at: new Date('2026-01-05T00:00:00Z') });
      sfEnv = {
        SALESFORCE_LOGIN_URL: settings.loginUrl,
        SALESFORCE_CLIENT_ID: settings.clientId,
        SALESFORCE_USERNAME: settings.username,
        SALESFORCE_PRIVATE_KEY: settings.privateKeyPem,
      };
      interrupted = await factory.create();
      reference = await factory.create();
    });
    afterAll(async () => {
      await interrupted?.dispose();
      await reference?.dispose();
      await standIn?.close();
    });

    const env = (store: ProcessStore) => cliEnv({ ...store.env, ...sfEnv });

    /** Runs the command and kills it right after the stand-in answers the first request that `when` picks. */
    async function runKilled(
      args: string[],
      store: ProcessStore,
      when: (r: ReceivedRequest, index: number) => boolean,
    ) {
      const child = spawnCli(args, env(store));
      let index = 0;
      standIn.onRequest = (request) => {
        if (when(request, index++)) {
          standIn.onRequest = null;
          child.kill('SIGKILL');
        }
      };
      const result = await collect(child, 120_000);
      standIn.onRequest = null;
      return result;
    }

    function expectSuccess(result: CliResult) {
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    }

    test('a sync killed at several points, run again, leaves what an uninterrupted sync leaves', async () => {
      // First pulls are `query` jobs (later, incremental ones are `queryAll`).
      const queryJobs = () =>
        standIn
          .apiRequests()
          .filter(
            (r) =>
              r.method === 'POST' &&
              r.path.endsWith('/jobs/query') &&
              JSON.parse(r.body).operation === 'query',
          ).length;
      const jobsBefore = queryJobs();
      let kills = 0;
      // Request numbers within each run: in the first objects' pages, later in people, in activities.
      for (const at of [4, 9, 6, 25]) {
        const result = await runKilled(['sync', 'salesforce'], interrupted, (_r, i) => i === at);
        if (result.signal === 'SIGKILL') kills += 1;
      }
      expect(kills).toBeGreaterThanOrEqual(3);
      const finished = await runCli(['sync', 'salesforce'], env(interrupted), 120_000);
      expectSuccess(finished);
      expect(finished.stdout).toMatch(/synced [\d,]+ records from Salesforce/);
      // Each kill costs at most the job it had just started: the reruns resumed the first pull of
      // each object at its page, they did not start it over.
      expect(queryJobs() - jobsBefore).toBeLessThanOrEqual(7 + kills);

      expectSuccess(await runCli(['sync', 'salesforce'], env(reference), 120_000));
      const [got, want] = [await interrupted.use(syncedContents), await reference.use(syncedContents)];
      expect(JSON.parse(want.accounts!)).toHaveLength(300);
      expect(JSON.parse(want.account_crm_fields!)).toHaveLength(300);
      expect(got).toEqual(want);
      const runs = await interrupted.use((db) =>
        db.query<{ status: string }>(
          "SELECT status FROM job_runs WHERE kind = 'salesforce_sync' ORDER BY id",
        ),
      );
      expect(runs.map((r) => r.status)).toEqual([...Array(runs.length - 1).fill('failed'), 'complete']);
    });

    const stepOf = (r: ReceivedRequest) =>
      r.method === 'POST' && r.path.endsWith('/jobs/ingest')
        ? 'open'
        : r.method === 'PUT'
          ? 'upload'
          : r.method === 'PATCH' && r.path.includes('/jobs/ingest/')
            ? 'close'
            : r.path.endsWith('/failedResults')
              ? 'results'
              : null;

    test.each(['open', 'upload', 'close', 'results'])(
      'a write-back killed after the job step "%s", run again, applies every changed row exactly once',
      async (step) => {
        const base = 1 + ['open', 'upload', 'close', 'results'].indexOf(step) * 17;
        await interrupted.use(async (db) => {
          const [run] = await db.query<{ id: number }>(
            "INSERT INTO score_runs (as_of, status, finished_at) VALUES ('2026-01-07'::date + $1::int, 'complete', now()) RETURNING id::int AS id",
            [base],
          );
          await db.query(
            `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, reach, qualified)
           SELECT $1, id, ($2::int + length(id)) % 101, 'Awareness', 'Low', false FROM accounts`,
            [run!.id, base],
          );
          await db.query(
            `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade, persona)
           SELECT $1, id, account_id, $2::int % 101, 'B', 'Persona ' || $2::int FROM contacts`,
            [run!.id, base],
          );
        });
        const updatesBefore = new Map(standIn.ingestUpdates);
        const killed = await runKilled(['writeback', 'salesforce'], interrupted, (r) => stepOf(r) === step);
        expect(killed.signal).toBe('SIGKILL');
        const rerun = await runCli(['writeback', 'salesforce'], env(interrupted), 120_000);
        expectSuccess(rerun);

        const written = await interrupted.use(async (db) => {
          expect(await db.query('SELECT job_id FROM salesforce_writeback_jobs')).toEqual([]);
          expect(await db.query('SELECT id FROM salesforce_writeback_failures')).toEqual([]);
          return db.query<{ id: string; sobject: string }>(
            "SELECT id, sobject FROM salesforce_records WHERE sobject IN ('Account', 'Contact', 'Lead')",
          );
        });
        expect(written).toHaveLength(300 + 1500);
        for (const { id, sobject } of written) {
          expect({
            id,
            updates: (standIn.ingestUpdates.get(id) ?? 0) - (updatesBefore.get(id) ?? 0),
          }).toEqual({
            id,
            updates: 1,
          });
          const record = standIn.get(sobject, id);
          if (sobject === 'Account') expect(record.Signalfit_Intent_Score__c).toBe(String((base + 18) % 101));
          else expect(record.Signalfit_Persona__c).toBe(`Persona ${base}`);
        }
        // Nothing changed since: the next write-back sends nothing.
        const quiet = await runCli(['writeback', 'salesforce'], env(interrupted), 120_000);
        expectSuccess(quiet);
        expect(quiet.stdout).toContain('no score changed since the last write-back: nothing sent');
      },
    );

    test('the commands say what is wrong in one line', async () => {
      const unconfigured = await runCli(['sync', 'salesforce'], cliEnv(interrupted.env));
      expect(unconfigured.code).toBe(1);
      expect(unconfigured.stderr).toMatch(
        /^signalfit: Salesforce is not configured: set SALESFORCE_CLIENT_ID.*\n$/,
      );
      const wrongSystem = await runCli(['writeback', 'hubspot'], cliEnv(interrupted.env));
      expect(wrongSystem.code).toBe(1);
      expect(wrongSystem.stderr).toMatch(/^signalfit: .*hubspot.*\n$/);
      const badKey = await runCli(
        ['sync', 'salesforce'],
        cliEnv({ ...interrupted.env, ...sfEnv, SALESFORCE_USERNAME: 'someone@else.test' }),
      );
      expect(badKey.code).toBe(1);
      expect(badKey.stderr).toMatch(
        /^signalfit: Salesforce login \(JWT bearer\) at .* failed: invalid_grant: invalid assertion.*\n$/,
      );
    });
  },
);
