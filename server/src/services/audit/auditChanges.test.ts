/**
 * Every change the service makes records exactly the audit entries it should (docs/audit-log.md):
 * one table, one row per wired change, each run through its use case on both stores and checked
 * against the entries it added — actor, kind, action, target and counts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rotateAccessKey } from '../../http/auth/accessKey';
import { PROVIDER_FILE } from '../../integrations/providers/csvProvider';
import { OPERATOR, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { createSubscription } from '../alerts/createSubscription';
import { deleteSubscription } from '../alerts/deleteSubscription';
import { setCredits } from '../credits/credits';
import { importDirectory } from '../import/importDirectory';
import { createOrchestration } from '../orchestrations/createOrchestration';
import { deleteOrchestration } from '../orchestrations/deleteOrchestration';
import { queueDueRuns } from '../orchestrations/orchestrationScheduler';
import { parseOrchestrationInput } from '../orchestrations/orchestrationInput';
import { findOrchestration } from '../orchestrations/orchestrationRecords';
import { runNow } from '../orchestrations/runOrchestration';
import {
  insertOrchestration,
  MARKET_ROWS,
  MemoryProvider,
  NOW,
  seedRunMarket,
} from '../orchestrations/runTesting';
import { updateOrchestration } from '../orchestrations/updateOrchestration';
import {
  approveCandidate,
  postponeCandidate,
  rejectCandidate,
  rollbackModels,
  trainCandidate,
} from '../models/lifecycle';
import { RECORD_ONLY } from '../models/notices';
import { rolloutStep } from '../models/rollout';
import { addProvider } from '../providers/providers';
import { createRecomputer } from '../recompute/recomputer';
import { scoreStore } from '../scoring/scoreStore';
import { saveScoringSetting } from '../scoring/settings';
import { createSegment } from '../segments/createSegment';
import { deleteSegment } from '../segments/deleteSegment';
import { publishSegment } from '../segments/publishSegment';
import { unpublishSegment } from '../segments/unpublishSegment';
import { updateSegment } from '../segments/updateSegment';
import { uploadListSegment } from '../segments/uploadListSegment';
import { listAudit, type AuditView } from './listAudit';

jest.setTimeout(60_000);

const ADA: Actor = { userId: 'u-ada', name: 'Ada', email: 'ada@example.com', role: 'Marketing' };
const OLGA: Actor = { userId: 'u-olga', name: 'Olga', email: 'olga@example.com', role: 'Operations' };
const KEY: Actor = { userId: 'key-1', name: 'nightly sync', role: 'Operations', kind: 'api_key' };

type Expected = Pick<AuditView, 'actor' | 'actorKind' | 'action'> & Partial<AuditView>;

interface Row {
  change: string;
  act: (db: Db) => Promise<unknown>;
  entries: Expected[];
}

const FILTER = { field: 'industry', op: 'eq', value: 'Software' };
/** The day the model lifecycle's rows train and act on. */
const MODELS_DAY = new Date('2026-11-21T00:00:00Z');

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'signalfit-audit-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder holding `file` with these lines. */
function folderWith(name: string, file: string, lines: string[]): string {
  const folder = path.join(dir, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  writeFileSync(path.join(folder, file), `${lines.join('\n')}\n`);
  return folder;
}

const ROWS: Row[] = [
  {
    change: 'creating a segment',
    act: (db) => createSegment({ db, actor: ADA, input: { name: 'Soft', definition: FILTER } }),
    entries: [
      {
        actor: 'ada@example.com',
        actorKind: 'user',
        action: 'segment.create',
        targetType: 'segment',
        summary: 'created filter segment "Soft"',
        counts: {},
      },
    ],
  },
  {
    change: 'changing a segment',
    act: (db) =>
      updateSegment({ db, actor: ADA, ref: 'Soft', changes: { description: 'software accounts' } }),
    entries: [
      {
        actor: 'ada@example.com',
        actorKind: 'user',
        action: 'segment.update',
        summary: 'changed description of segment "Soft"',
        counts: { version: 1 },
      },
    ],
  },
  {
    change: 'publishing a segment',
    act: (db) => publishSegment({ db, actor: OLGA, ref: 'soft' }),
    entries: [{ actor: 'olga@example.com', actorKind: 'user', action: 'segment.publish', counts: {} }],
  },
  {
    change: 'publishing it again (no change, no entry)',
    act: (db) => publishSegment({ db, actor: OLGA, ref: 'soft' }),
    entries: [],
  },
  {
    change: 'unpublishing a segment',
    act: (db) => unpublishSegment({ db, actor: KEY, ref: 'Soft' }),
    entries: [{ actor: 'nightly sync', actorKind: 'api_key', action: 'segment.unpublish', counts: {} }],
  },
  {
    change: 'uploading a list segment',
    act: (db) =>
      uploadListSegment({
        db,
        actor: ADA,
        name: 'Named',
        csv: 'domain\nacme.com\ngamma.com\nnowhere.example\n',
      }),
    entries: [
      {
        actor: 'ada@example.com',
        actorKind: 'user',
        action: 'segment.upload_list',
        summary: 'created list segment "Named" from an uploaded list',
        counts: { rows: 3, matched: 2, unmatched: 1, added: 2, removed: 0 },
      },
    ],
  },
  {
    change: 'replacing a list',
    act: (db) => uploadListSegment({ db, actor: ADA, name: 'Named', csv: 'domain\ndelta.com\n' }),
    entries: [
      {
        actor: 'ada@example.com',
        actorKind: 'user',
        action: 'segment.upload_list',
        summary: 'replaced the list of segment "Named"',
        counts: { rows: 1, matched: 1, unmatched: 0, added: 1, removed: 2 },
      },
    ],
  },
  {
    change: 'deleting a segment',
    act: (db) => deleteSegment({ db, actor: ADA, ref: 'Named' }),
    entries: [{ actor: 'ada@example.com', actorKind: 'user', action: 'segment.delete', counts: {} }],
  },
  {
    change: 'creating an orchestration',
    act: (db) =>
      createOrchestration({
        db,
        actor: OPERATOR,
        now: NOW,
        input: parseOrchestrationInput(
          {
            name: 'Buy',
            goal: 'acquire_contacts',
            segment: 'Software',
            provider: 'Vendor',
            target: { type: 'csv' },
          },
          'test',
        ),
      }),
    entries: [
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'orchestration.create',
        targetType: 'orchestration',
        summary: 'created orchestration "Buy"',
        counts: {},
      },
    ],
  },
  {
    change: 'changing an orchestration',
    act: (db) =>
      updateOrchestration({ db, actor: OLGA, ref: 'Buy', changes: { cooldownDays: 10 }, now: NOW }),
    entries: [
      {
        actor: 'olga@example.com',
        actorKind: 'user',
        action: 'orchestration.update',
        summary: 'changed cooldownDays of orchestration "Buy"',
        counts: { version: 2 },
      },
    ],
  },
  {
    change: 'deleting an orchestration',
    act: (db) => deleteOrchestration({ db, actor: OLGA, ref: 'Buy', now: NOW }),
    entries: [{ actor: 'olga@example.com', actorKind: 'user', action: 'orchestration.delete', counts: {} }],
  },
  {
    change: 'running an orchestration (queued, bought, finished)',
    act: async (db) => {
      const orchestration = await findOrchestration(db, 'Acquire');
      const provider = new MemoryProvider(MARKET_ROWS);
      await runNow(
        { db, now: () => NOW, openProvider: async () => provider },
        { orchestration, trigger: 'manual', actor: OPERATOR },
      );
    },
    entries: [
      { actor: 'command line', actorKind: 'operator', action: 'orchestration.run_queued' },
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'provider.purchase',
        targetType: 'orchestration_run',
        counts: { people: 4, credits: 4, refused: 0, not_bought: 0 },
      },
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'orchestration.run_finished',
        targetType: 'orchestration_run',
        counts: { purchased: 4, pushed: 4, skipped: 6, failed: 0 },
      },
    ],
  },
  {
    change: "the scheduler queuing a slot's run",
    act: (db) => queueDueRuns(db, new Date('2026-11-17T06:00:30Z')),
    entries: [
      {
        actor: 'schedule',
        actorKind: 'operator',
        action: 'orchestration.run_queued',
        summary: 'queued the 2026-11-17T06:00:00.000Z run of orchestration "Daily"',
      },
    ],
  },
  {
    change: 'adding a provider',
    act: (db) =>
      addProvider({
        db,
        actor: OLGA,
        type: 'csv',
        name: 'Files',
        dir: folderWith('provider', PROVIDER_FILE, [
          'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost',
          'p1,ada@acme.com,Ada,L,CTO,C-Level,Engineering,acme.com,US,A,2',
          'p2,not-an-email,B,C,,,,acme.com,US,A,1',
        ]),
      }),
    entries: [
      {
        actor: 'olga@example.com',
        actorKind: 'user',
        action: 'provider.add',
        summary: 'added csv contact provider "Files"',
        counts: { rows: 2, bad: 1 },
      },
    ],
  },
  {
    change: 'setting credits',
    act: (db) => setCredits({ db, actor: OLGA, allowance: 250, allowOverage: true }),
    entries: [
      {
        actor: 'olga@example.com',
        actorKind: 'user',
        action: 'credits.set',
        summary: 'set the credit allowance to 250, overage allowed',
        counts: { allowance: 250 },
      },
    ],
  },
  {
    change: 'subscribing to alerts and ending the subscription',
    act: async (db) => {
      const subscription = await createSubscription(db, {
        actor: ADA,
        segment: 'Software',
        event: 'became_qualified',
        digest: 'immediate',
        secretKey: null,
      });
      await deleteSubscription(db, { actor: OLGA, id: subscription.id });
    },
    entries: [
      {
        actor: 'ada@example.com',
        actorKind: 'user',
        action: 'alert.create',
        summary: 'subscribed to became_qualified alerts of segment "Software" (immediate, in the app)',
      },
      {
        actor: 'olga@example.com',
        actorKind: 'user',
        action: 'alert.delete',
        targetType: 'alert_subscription',
      },
    ],
  },
  {
    change: 'storing a scoring setting',
    act: (db) => saveScoringSetting(db, 'personas', [{ name: 'Champion', jobLevels: ['VP'] }], OLGA),
    entries: [
      {
        actor: 'olga@example.com',
        actorKind: 'user',
        action: 'settings.update',
        targetId: 'personas',
        counts: { items: 1 },
      },
    ],
  },
  {
    change: 'importing a folder (one entry per file)',
    act: (db) =>
      importDirectory({
        db,
        dir: folderWith('import', 'keywords.csv', [
          'keyword,product_category,kind',
          'widgets,Hardware,generic',
          'signalfit,,branded',
          ',,generic',
        ]),
        reportDir: path.join(dir, 'import-report'),
      }),
    entries: [
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'import.file',
        targetId: 'keywords.csv',
        counts: { rows: 3, inserted: 2, updated: 0, rejected: 1, unchanged: 0 },
      },
    ],
  },
  {
    change: 'a score run',
    act: (db) => scoreStore(db, { asOf: new Date('2026-11-20T00:00:00Z'), actor: OPERATOR }),
    entries: [
      // The store's first run: its training becomes the active model versions.
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'models.train',
        targetType: 'model_training',
        counts: { versions: 4 },
      },
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'score.run',
        targetType: 'score_run',
        counts: { accounts: 6, people: 2, qualified: 0 },
      },
    ],
  },
  {
    change: 'the scheduled score run',
    act: (db) => scoreStore(db, { asOf: new Date('2026-11-21T00:00:00Z') }),
    entries: [{ actor: 'schedule', actorKind: 'operator', action: 'score.run' }],
  },
  {
    change: 'training candidate models',
    act: (db) => trainCandidate(db, { asOf: MODELS_DAY, actor: OPERATOR, now: MODELS_DAY }),
    entries: [
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'models.train',
        targetType: 'model_training',
        counts: { versions: 4, superseded: 0 },
      },
    ],
  },
  {
    change: 'postponing candidate models',
    act: (db) => postponeCandidate(db, { days: 3, actor: OPERATOR }),
    entries: [
      { actor: 'command line', action: 'models.postpone', actorKind: 'operator', counts: { days: 3 } },
    ],
  },
  {
    change: 'approving candidate models (the current day is rescored with them)',
    act: (db) => approveCandidate(db, { actor: OPERATOR, now: MODELS_DAY }),
    entries: [
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'models.approve',
        counts: { activated: 4, retired: 4 },
      },
      { actor: 'schedule', actorKind: 'operator', action: 'score.run' },
    ],
  },
  {
    change: 'rolling the models back (the current day is rescored)',
    act: (db) => rollbackModels(db, { actor: OPERATOR, now: MODELS_DAY }),
    entries: [
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'models.rollback',
        counts: { restored: 4, rolled_back: 4 },
      },
      { actor: 'schedule', actorKind: 'operator', action: 'score.run' },
    ],
  },
  {
    change: 'rejecting candidate models',
    act: async (db) => {
      await trainCandidate(db, { asOf: MODELS_DAY, actor: OPERATOR, now: MODELS_DAY });
      await rejectCandidate(db, { actor: OPERATOR });
    },
    entries: [
      { actor: 'command line', actorKind: 'operator', action: 'models.train' },
      { actor: 'command line', actorKind: 'operator', action: 'models.reject', counts: { rejected: 4 } },
    ],
  },
  {
    change: 'the daily roll-out of candidate models',
    act: async (db) => {
      await trainCandidate(db, { asOf: MODELS_DAY, actor: OPERATOR, now: MODELS_DAY });
      await rolloutStep(db, { now: new Date('2026-12-05T02:00:00Z'), notify: RECORD_ONLY });
    },
    entries: [
      { actor: 'command line', actorKind: 'operator', action: 'models.train' },
      {
        actor: 'schedule',
        actorKind: 'operator',
        action: 'models.rollout',
        counts: { activated: 4, retired: 4 },
      },
    ],
  },
  {
    change: 'asking for a recompute',
    act: async (db) => {
      const recomputer = createRecomputer({ db, now: () => NOW, score: async () => ({ runId: 0 }) });
      await recomputer.start(OLGA);
      await recomputer.settled();
    },
    entries: [
      {
        actor: 'olga@example.com',
        actorKind: 'user',
        action: 'score.recompute',
        summary: 'asked to recompute the scores as of 2026-11-20',
      },
    ],
  },
  {
    change: 'rotating the access-token signing key',
    act: (db) => rotateAccessKey(db, { secretKey: null, now: NOW }),
    entries: [
      {
        actor: 'command line',
        actorKind: 'operator',
        action: 'accesskey.rotate',
        targetType: 'access_token_key',
        counts: { retired: 0, discarded: 0 },
      },
    ],
  },
];

describe.each(testStoreTargets())('audit entries of the changes on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    const { segmentId, providerId } = await seedRunMarket(db);
    await insertOrchestration(db, { name: 'Acquire', segmentId, providerId });
    await insertOrchestration(db, {
      name: 'Daily',
      segmentId,
      providerId,
      schedule: 'daily',
      updatedAt: new Date('2026-11-16T07:00:00Z'),
    });
    await db.run(
      'INSERT INTO credit_settings (id, allowance, period, allow_overage, updated_by) VALUES (1, 100, $1, false, $2)',
      ['month', 'test'],
    );
  });

  /** The entries written since entry `after`, oldest first. */
  async function entriesAfter(after: number): Promise<AuditView[]> {
    const { entries } = await listAudit(db, OPERATOR, { limit: 1000 });
    return entries.filter((e) => e.id > after).reverse();
  }

  async function lastId(): Promise<number> {
    const [row] = await db.query<{ id: string | null }>('SELECT max(id) AS id FROM audit_log');
    return Number(row?.id ?? 0);
  }

  it.each(ROWS)('$change', async ({ act, entries }) => {
    const before = await lastId();
    await act(db);
    const written = await entriesAfter(before);
    expect(written).toEqual(entries.map((entry) => expect.objectContaining(entry)));
  });

  it('covers every change of the table once', () => {
    expect(new Set(ROWS.map((r) => r.change)).size).toBe(ROWS.length);
  });
});
