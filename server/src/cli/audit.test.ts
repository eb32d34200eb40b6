/**
 * `signalfit audit` as a user runs it: the real bin in a child process, started from another
 * folder (docs/command-line.md "Audit log").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OPERATOR, type Actor } from '../policies/policies';
import { recordAudit } from '../services/audit/recordAudit';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, linesOf, runCli } from './testing';

// Each command is a process opening the store: the embedded one takes seconds.
jest.setTimeout(300_000);

const ADA: Actor = { userId: 'u-ada', name: 'Ada', email: 'ada@example.com', role: 'Admin' };

describe.each(processStoreTargets('audit-cli'))('signalfit audit on $name', (target) => {
  let store: ProcessStore;
  let env: NodeJS.ProcessEnv;
  let elsewhere: string;
  const cli = (...args: string[]) => runCli(args, env, 60_000, elsewhere);

  beforeAll(async () => {
    elsewhere = mkdtempSync(path.join(tmpdir(), 'signalfit-audit-cli-'));
    store = await target.create();
    await store.use(async (db) => {
      await migrate(db);
      await recordAudit(
        db,
        ADA,
        {
          action: 'segment.publish',
          targetType: 'segment',
          targetId: '1',
          summary: 'published segment "Tier 1"',
        },
        new Date('2026-11-17T09:30:00Z'),
      );
      await recordAudit(
        db,
        OPERATOR,
        {
          action: 'import.file',
          targetType: 'import',
          targetId: 'accounts.csv',
          summary: 'imported accounts.csv',
          counts: { rows: 3, inserted: 2, rejected: 1 },
        },
        new Date('2026-11-18T10:00:00Z'),
      );
    });
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('prints the log newest first as a table and as JSON, filtered by day and action', async () => {
    const table = await cli('audit');
    expect({ code: table.code, stderr: table.stderr }).toEqual({ code: 0, stderr: '' });
    expect(linesOf(table.stdout)).toEqual([
      'when                  who              action           summary                     counts',
      '2026-11-18 10:00:00Z  command line     import.file      imported accounts.csv       rows=3 inserted=2 rejected=1',
      '2026-11-17 09:30:00Z  ada@example.com  segment.publish  published segment "Tier 1"',
    ]);

    const since = JSON.parse((await cli('audit', '--since', '2026-11-18', '--json')).stdout) as unknown[];
    expect(since).toEqual([
      {
        id: 2,
        at: '2026-11-18T10:00:00.000Z',
        actor: 'command line',
        actorKind: 'operator',
        action: 'import.file',
        targetType: 'import',
        targetId: 'accounts.csv',
        summary: 'imported accounts.csv',
        counts: { rows: 3, inserted: 2, rejected: 1 },
      },
    ]);
    // Filters combine: Ada's entries up to and including the 17th.
    const upTo = JSON.parse(
      (await cli('audit', '--until', '2026-11-17', '--actor', 'ADA@example.com', '--json')).stdout,
    ) as { id: number }[];
    expect(upTo.map((e) => e.id)).toEqual([1]);
  });

  it("records the command line's own changes, and --limit keeps the newest", async () => {
    const set = await cli('credits', 'set', '--allowance', '40');
    expect(set.code).toBe(0);
    const [entry, ...rest] = JSON.parse((await cli('audit', '--limit', '1', '--json')).stdout) as Record<
      string,
      unknown
    >[];
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      id: 3,
      actor: 'command line',
      actorKind: 'operator',
      action: 'credits.set',
      counts: { allowance: 40 },
    });
  });

  it('refuses a bad date or limit in one line naming the option', async () => {
    for (const [args, reason] of [
      [['--since', '2026-02-30'], /^signalfit: --since must be a date like 2026-01-31 \(got "2026-02-30"\)$/],
      [['--until', '18/11/2026'], /--until must be a date like 2026-01-31/],
    ] as const) {
      const refused = await cli('audit', ...args);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toBe('');
      expect(linesOf(refused.stderr)).toHaveLength(1);
      expect(refused.stderr.trim()).toMatch(reason);
    }
  });
});
