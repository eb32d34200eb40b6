import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isQualified } from '../../domain/scoring/qualified';
import { scoreMarket } from '../../domain/scoring/scoreMarket';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { personDetail } from '../intelligence/personDetail';
import { reasonsOf, type Reason } from '../intelligence/reasons';
import { findRun } from './currentRun';
import { exportScores } from './exportScores';
import { loadMarketFacts } from './loadFacts';
import { computeScores } from './scoreRun';
import { scoreStore } from './scoreStore';

const END = new Date('2026-11-01T00:00:00Z');

describe.each(testStoreTargets())('scoring runs on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 11, accounts: 400, endDate: END });
  }, 120_000);

  it('keeps each run as a complete dated snapshot of every account and person', async () => {
    const result = await scoreStore(db, { asOf: END });
    const [accounts] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
    const [people] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts');
    expect(result).toMatchObject({ asOf: '2026-11-01', accounts: accounts?.n, people: people?.n });
    const runs = await db.query(
      "SELECT status, accounts, people, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM score_runs",
    );
    expect(runs).toEqual([
      { status: 'complete', accounts: accounts?.n, people: people?.n, as_of: '2026-11-01' },
    ]);
    expect(result.summary.intent.fallback).toBeNull();
    expect(result.summary.modelVersion).toMatch(
      /^intent:\d+ profile_fit:\d+ contact_fit:\d+ engagement:\d+$/,
    );
  }, 120_000);

  it('stores scores that obey their ranges, bands and the qualified rule, each with reasons', async () => {
    const rows = await db.query<{
      intent_score: number;
      buying_stage: string;
      profile_score: number;
      profile_fit: string;
      qualified: boolean;
      qualified_since: string | null;
      reasons: { intent: unknown[]; profile: unknown[]; reach: unknown[] };
    }>(`SELECT intent_score, buying_stage, profile_score, profile_fit, qualified,
          to_char(qualified_since, 'YYYY-MM-DD') AS qualified_since, reasons FROM account_scores`);
    expect(rows.length).toBe(400);
    for (const row of rows) {
      expect(row.qualified).toBe(isQualified(row.profile_fit as never, row.buying_stage as never));
      expect(row.qualified_since).toBe(row.qualified ? '2026-11-01' : null);
      const band = row.profile_score >= 81 ? 'Strong' : row.profile_score >= 50 ? 'Moderate' : 'Weak';
      expect(row.profile_fit).toBe(band);
      expect(row.reasons.intent.length).toBeGreaterThan(0);
      expect(row.reasons.profile.length).toBeGreaterThan(0);
    }
    expect(new Set(rows.map((r) => r.buying_stage)).size).toBeGreaterThanOrEqual(3);
  });

  it('scores the same from facts read on one connection (PostgreSQL reads the window counts on a second)', async () => {
    const { scores, settings } = await computeScores(db, END);
    const facts = await db.transaction((tx) => loadMarketFacts(tx, END, settings));
    const oneConnection = scoreMarket(facts, settings);
    expect(oneConnection.accounts).toEqual(scores.accounts);
    expect(oneConnection.people).toEqual(scores.people);
    expect(scores.accounts.filter((a) => a.buyingStage !== 'Target').length).toBeGreaterThan(0);
  }, 120_000);

  it('stores each distinct list of person reasons once per run and reads back every list as scored', async () => {
    const run = await findRun(db);
    const { scores } = await computeScores(db, END);
    const stored = await db.query<{
      contact_id: string;
      legacy: unknown;
      engagement: Reason[] | null;
      profile: Reason[] | null;
    }>(
      `SELECT cs.contact_id, cs.reasons AS legacy, er.reasons AS engagement, pr.reasons AS profile
         FROM contact_scores cs
         LEFT JOIN score_reason_sets er ON er.run_id = cs.run_id AND er.id = cs.engagement_reasons
         LEFT JOIN score_reason_sets pr ON pr.run_id = cs.run_id AND pr.id = cs.profile_reasons
        WHERE cs.run_id = $1`,
      [run?.id],
    );
    const byId = new Map(stored.map((row) => [row.contact_id, row]));
    expect(stored).toHaveLength(scores.people.length);
    for (const person of scores.people) {
      const row = byId.get(person.contactId);
      expect(row?.legacy).toBeNull();
      expect(row?.engagement ?? []).toEqual(person.reasons.engagement);
      expect(row?.profile ?? []).toEqual(person.reasons.profile);
    }
    // Each distinct list once: far fewer sets than people, none repeated, none empty.
    const sets = await db.query<{ reasons: string }>(
      'SELECT reasons::text AS reasons FROM score_reason_sets WHERE run_id = $1',
      [run?.id],
    );
    expect(new Set(sets.map((s) => s.reasons)).size).toBe(sets.length);
    expect(sets.every((s) => s.reasons !== '[]')).toBe(true);
    expect(sets.length).toBeLessThan(scores.people.length / 2);
    // The person view shows the same reasons as before the sets (strongest first, at most five).
    const person = scores.people.find((p) => p.reasons.engagement.length > 0 && p.reasons.profile.length > 0);
    const detail = await personDetail({ db, id: person?.contactId as string, now: END });
    expect(detail?.scores?.reasons).toEqual({
      engagement: reasonsOf(person?.reasons, 'engagement'),
      profile: reasonsOf(person?.reasons, 'profile'),
    });
  }, 120_000);

  it('keeps the day an account became qualified across runs', async () => {
    // An earlier run, then the day after: accounts qualified in both keep the earlier day.
    await scoreStore(db, { asOf: new Date('2026-10-31T00:00:00Z') });
    const later = await scoreStore(db, { asOf: new Date('2026-11-02T00:00:00Z') });
    const kept = await db.query<{ since: string; before: string }>(
      `SELECT to_char(s.qualified_since, 'YYYY-MM-DD') AS since, to_char(p.qualified_since, 'YYYY-MM-DD') AS before
        FROM account_scores s JOIN account_scores p ON p.account_id = s.account_id
        WHERE s.run_id = $1 AND p.run_id = (SELECT id FROM score_runs WHERE as_of = '2026-11-01' ORDER BY id LIMIT 1)
          AND s.qualified AND p.qualified`,
      [later.runId],
    );
    expect(kept.length).toBeGreaterThan(0);
    for (const row of kept) expect(row.since <= '2026-11-01').toBe(true);
    expect((await findRun(db))?.asOf).toBe('2026-11-02');
  }, 120_000);

  it('leaves no trace of a run that fails, and readers keep the previous complete run', async () => {
    const before = await findRun(db);
    await db.exec(
      'ALTER TABLE contact_scores ADD CONSTRAINT refuse_all CHECK (engagement_score < 0) NOT VALID',
    );
    try {
      await expect(scoreStore(db, { asOf: new Date('2026-11-03T00:00:00Z') })).rejects.toThrow();
    } finally {
      await db.exec('ALTER TABLE contact_scores DROP CONSTRAINT refuse_all');
    }
    expect(await findRun(db)).toEqual(before);
    const [left] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM score_runs WHERE as_of = '2026-11-03'",
    );
    expect(left?.n).toBe(0);
    const [orphans] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM score_reason_sets WHERE run_id NOT IN (SELECT id FROM score_runs)',
    );
    expect(orphans?.n).toBe(0);
  }, 120_000);

  it('exports the documented columns of the current run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-export-'));
    try {
      const result = await exportScores(db, { dir, today: END });
      expect(result.scored).toBe(false);
      const accounts = readFileSync(path.join(dir, 'account_scores.csv'), 'utf8').trim().split('\n');
      expect(accounts[0]).toBe(
        'account_id,as_of,intent_score,buying_stage,profile_score,profile_fit,reach,qualified,qualified_since,model_version',
      );
      expect(accounts).toHaveLength(401);
      expect(accounts[1]).toMatch(
        /^001\w{15},2026-11-02,\d+,\w+,\d+,(Strong|Moderate|Weak),(Low|Medium|High),(true|false),/,
      );
      const people = readFileSync(path.join(dir, 'contact_scores.csv'), 'utf8').trim().split('\n');
      expect(people[0]).toBe(
        'contact_id,account_id,as_of,engagement_score,engagement_grade,profile_score,profile_fit,persona',
      );
      expect(people[1]).toMatch(/^003\w{15},001\w{15},2026-11-02,\d+,[ABCD],\d+,(Strong|Moderate|Weak),/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells its observer each phase, then that the run finished; or that it failed', async () => {
    const seen: string[] = [];
    const observer = {
      phase: (phase: string, ms: number) => void seen.push(`${phase} ${ms >= 0}`),
      finished: () => void seen.push('finished'),
      failed: (error: unknown) => void seen.push(`failed: ${(error as Error).message}`),
    };
    await scoreStore(db, { asOf: END, observer });
    expect(seen).toEqual(['read true', 'model true', 'write true', 'finished']);
    seen.length = 0;
    const broken = { ...db, query: async () => Promise.reject(new Error('the store went away')) } as Db;
    await expect(scoreStore(broken, { asOf: END, observer })).rejects.toThrow('the store went away');
    expect(seen).toEqual(['failed: the store went away']);
  });
});
