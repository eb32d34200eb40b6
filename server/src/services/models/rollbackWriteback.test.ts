import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { DEFAULT_FIELD_MAPPING } from '../../integrations/salesforce/fieldMapping';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { runSalesforceWriteback, type SalesforceJobProps } from '../salesforce/runSalesforceJobs';
import type { WritebackReport } from '../salesforce/writebackSalesforce';
import { scoreStore } from '../scoring/scoreStore';
import {
  approveCandidate,
  rescoreCurrentDay,
  rollbackModels,
  trainCandidate,
  type RescoreHook,
} from './lifecycle';

/**
 * An approval and a rollback rescore the current day at once and write back to Salesforce (the
 * stand-in) only the accounts whose values changed: after the rollback, exactly those the
 * approval had changed, back to the values of the first versions.
 */
jest.setTimeout(120_000);

const END = new Date('2026-11-01T00:00:00Z');
const NOW = new Date('2026-11-01T10:00:00Z');
const FIELDS = `profile_fit, profile_score, intent_score, buying_stage, reach, qualified, qualified_since`;

describe.each(testStoreTargets())(
  'rescoring and write-back after approve and rollback on $name',
  (target) => {
    let db: Db;
    useTestStore(target, (opened) => (db = opened));
    let standIn: SalesforceStandIn;
    let settings: SalesforceSettings;
    const reports: WritebackReport[] = [];

    beforeAll(async () => {
      ({ standIn, settings } = await startStandIn());
      await seedDemoMarket({ db, seed: 5, accounts: 250, endDate: END });
      // The org holds the market's accounts, and the store knows them as synced records.
      const accounts = await db.query<{ id: string; name: string }>(
        'SELECT id, name FROM accounts ORDER BY id',
      );
      for (const account of accounts) standIn.insert('Account', { Id: account.id, Name: account.name });
      await db.run(`INSERT INTO salesforce_records (id, sobject) SELECT id, 'Account' FROM accounts`);
    }, 180_000);
    afterAll(() => standIn.close());

    const job = (): SalesforceJobProps => ({
      db,
      connect: (guard) => connectSalesforce(settings, guard),
      mapping: DEFAULT_FIELD_MAPPING,
      budgetPercent: 20,
      trigger: 'manual',
      poll: { pollIntervalMs: 10, pollTimeoutMs: 5_000 },
    });
    const rescore: RescoreHook = (store, asOf, versions) =>
      rescoreCurrentDay(store, asOf, versions, async () => reports.push(await runSalesforceWriteback(job())));

    /** Account ids whose written fields differ between two runs. */
    const changedBetween = async (a: number, b: number) =>
      (
        await db.query<{ account_id: string }>(
          `SELECT x.account_id FROM account_scores x JOIN account_scores y ON y.account_id = x.account_id
          WHERE x.run_id = $1 AND y.run_id = $2 AND (${FIELDS.split(', ')
            .map((f) => `x.${f} IS DISTINCT FROM y.${f}`)
            .join(' OR ')})
          ORDER BY x.account_id`,
          [a, b],
        )
      ).map((row) => row.account_id);

    const uploadedIds = (since: number) =>
      standIn
        .uploadedRows()
        .slice(since)
        .flatMap((upload) => upload.rows.map((row) => row.Id as string))
        .sort();

    it('writes back only the rows the approval changed, then exactly those again after the rollback', async () => {
      const first = await scoreStore(db, { asOf: END });
      await runSalesforceWriteback(job());
      expect(uploadedIds(0)).toHaveLength(250);

      // No bar: the candidate (trained two months earlier, so it scores differently) is not worse.
      await db.run(`UPDATE model_versions SET auc = NULL, identification_rate = NULL WHERE kind = 'intent'`);
      const trained = await trainCandidate(db, {
        asOf: new Date('2026-09-01T00:00:00Z'),
        actor: OPERATOR,
        now: NOW,
      });
      expect(trained.state).toBe('candidate');
      let uploads = standIn.uploadedRows().length;
      const approved = await approveCandidate(db, { actor: OPERATOR, now: NOW, rescore });
      expect(approved.run?.asOf).toBe('2026-11-01');
      const changed = await changedBetween(first.runId, approved.run!.runId);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.length).toBeLessThan(250);
      expect(uploadedIds(uploads)).toEqual(changed);
      expect(reports.at(-1)?.objects.Account).toEqual({
        sent: changed.length,
        updated: changed.length,
        failed: 0,
      });

      uploads = standIn.uploadedRows().length;
      const rolledBack = await rollbackModels(db, { actor: OPERATOR, now: NOW, rescore });
      expect(await changedBetween(first.runId, rolledBack.run!.runId)).toEqual([]);
      expect(uploadedIds(uploads)).toEqual(changed);
      // Salesforce holds the first versions' scores again.
      const scores = await db.query<{
        account_id: string;
        intent_score: number | null;
        buying_stage: string | null;
      }>('SELECT account_id, intent_score, buying_stage FROM account_scores WHERE run_id = $1', [
        first.runId,
      ]);
      for (const score of scores) {
        expect(standIn.get('Account', score.account_id)).toMatchObject({
          Signalfit_Intent_Score__c: score.intent_score === null ? null : String(score.intent_score),
          Signalfit_Buying_Stage__c: score.buying_stage,
        });
      }
    });
  },
);
