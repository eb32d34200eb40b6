import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Express } from 'express';
import request from 'supertest';
import type { ProviderContact } from '../../../domain/orchestrations/types';
import { OPERATOR } from '../../../policies/policies';
import { setCredits } from '../../../services/credits/credits';
import {
  insertOrchestration,
  MARKET_ROWS,
  NOW,
  providerRow,
  seedRunMarket,
} from '../../../services/orchestrations/runTesting';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

/** 120 people at epsilon.com, an account of its own segment: more than the sample shows. */
const BULK_ROWS = Array.from({ length: 120 }, (_, i) =>
  providerRow({ providerId: `b${String(i).padStart(3, '0')}`, companyDomain: 'epsilon.com' }),
);

function providerFile(rows: ProviderContact[]): string {
  return stringify(
    rows.map((r) => [
      r.providerId,
      r.email ?? '',
      r.firstName,
      r.lastName,
      r.title,
      r.jobLevel,
      r.jobFunction,
      r.companyDomain,
      r.country,
      r.emailConfidence,
      r.cost,
    ]),
    {
      header: true,
      columns: [
        'provider_id',
        'email',
        'first_name',
        'last_name',
        'title',
        'job_level',
        'job_function',
        'company_domain',
        'country',
        'email_confidence',
        'cost',
      ],
    },
  );
}

const WRITTEN_TABLES = ['contact_purchases', 'credit_ledger', 'orchestration_runs', 'orchestration_records'];

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WRITTEN_TABLES) {
    const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(row!.n);
  }
  return counts;
}

describe.each(testStoreTargets())('orchestration preview over HTTP on $name', (target) => {
  let db: Db;
  let app: Express;
  let dir: string;
  let small: number;
  let bulk: number;
  let headers: Awaited<ReturnType<typeof roleHeaders>>;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preview-provider-'));
    await writeFile(path.join(dir, 'provider_contacts.csv'), providerFile([...MARKET_ROWS, ...BULK_ROWS]));
    const { segmentId, providerId } = await seedRunMarket(db);
    await db.run(`UPDATE contact_providers SET settings = $2::jsonb WHERE id = $1`, [
      providerId,
      JSON.stringify({ dir }),
    ]);
    await db.exec(
      `INSERT INTO accounts (id, name, domain, industry) VALUES ('a7', 'Epsilon', 'epsilon.com', 'Bulk')`,
    );
    const [bulkSegment] = await db.query<{ id: string }>(
      `INSERT INTO segments (name, kind, definition, version) VALUES ('Bulk', 'filter', $1::jsonb, 1) RETURNING id`,
      [JSON.stringify({ field: 'industry', op: 'eq', value: 'Bulk' })],
    );
    small = await insertOrchestration(db, { name: 'Small', segmentId, providerId });
    bulk = await insertOrchestration(db, {
      name: 'Bulk',
      segmentId: Number(bulkSegment!.id),
      providerId,
      filters: { maxPerAccount: 500 },
    });
    await setCredits({ db, allowance: 100, actor: OPERATOR });
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    headers = await roleHeaders(db, ['Marketing'], NOW);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const get = (url: string) => request(app).get(url).set(headers('Marketing'));
  const preview = (id: number) =>
    request(app).post(`/api/orchestrations/${id}/preview`).set(headers('Marketing'));

  it('counts the candidates, samples the picks with why, and shows the credits', async () => {
    const res = await preview(small);
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({
      accounts: 5,
      accountsWithCandidates: 3,
      candidates: 5,
      toBuy: 4,
      cost: 4,
      skipped: {
        no_email: 1,
        opted_out: 1,
        already_in_crm: 1,
        restricted_region: 1,
        filtered_out: 1,
        cooldown: 0,
        cap_reached: 1,
      },
    });
    expect(res.body.sample.map((c: { provider_id: string }) => c.provider_id).sort()).toEqual([
      'p06',
      'p07',
      'p09',
      'p10',
    ]);
    expect(res.body.sample[0]).toEqual({
      provider_id: expect.any(String),
      email: expect.any(String),
      first_name: 'First',
      last_name: expect.any(String),
      title: expect.any(String),
      job_level: 'Staff',
      job_function: 'Engineering',
      country: 'US',
      email_confidence: expect.stringMatching(/^[A-D]$/),
      cost: 1,
      account_id: expect.any(String),
      account_name: expect.any(String),
      why: expect.any(String),
    });
    expect(res.body.credits).toMatchObject({ allowance: 100, used: 0, balance: 100 });
  });

  it('shows at most 100 in the sample, and counts them all', async () => {
    const res = await preview(bulk);
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ accounts: 1, candidates: 120, toBuy: 120, cost: 120 });
    expect(res.body.sample).toHaveLength(100);
    const all = parse(await get(`/api/orchestrations/${bulk}/preview/candidates.csv`).then((r) => r.text), {
      columns: true,
    }) as Record<string, string>[];
    expect(all).toHaveLength(120);
  });

  it('downloads every candidate and every account considered with exactly the issue columns', async () => {
    const candidates = await get(`/api/orchestrations/${small}/preview/candidates.csv`);
    expect(candidates.status).toBe(200);
    expect(candidates.headers['content-type']).toMatch(/^text\/csv/);
    expect(candidates.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="?candidates-${small}\\.csv"?$`),
    );
    const [header, ...lines] = candidates.text.trim().split('\n');
    expect(header).toBe(
      'provider_id,email,first_name,last_name,title,job_level,job_function,country,email_confidence,cost,account_id,why',
    );
    const rows = parse(lines.join('\n'), { columns: header!.split(',') }) as Record<string, string>[];
    expect(rows.map((r) => [r.provider_id, r.account_id]).sort()).toEqual([
      ['p06', 'a1'],
      ['p07', 'a1'],
      ['p08', 'a1'],
      ['p09', 'a2'],
      ['p10', 'a3'],
    ]);
    expect(rows.find((r) => r.provider_id === 'p08')!.why).toMatch(/cap/);

    const accounts = await get(`/api/orchestrations/${encodeURIComponent('Small')}/preview/accounts.csv`);
    expect(accounts.status).toBe(200);
    expect(accounts.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="?accounts-${small}\\.csv"?$`),
    );
    const table = parse(accounts.text) as string[][];
    expect(table[0]).toEqual(['account_id', 'name', 'domain', 'candidates', 'skipped_reason']);
    expect(table.slice(1).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
      ['a1', 'Acme', 'acme.com', '3', ''],
      ['a2', 'Beta', 'https://www.Beta.io/', '1', ''], // the account's domain as stored
      ['a3', 'Gamma', 'gamma.com', '1', ''],
      ['a4', 'Nodomain', '', '0', 'no_domain'],
      ['a5', 'Delta', 'delta.com', '0', 'no_candidates'],
    ]);
  });

  it('writes nothing: no purchase, charge, run or record', async () => {
    const before = await rowCounts(db);
    expect(before).toEqual({
      contact_purchases: 0,
      credit_ledger: 0,
      orchestration_runs: 0,
      orchestration_records: 0,
    });
    for (const id of [small, bulk]) {
      expect((await preview(id)).status).toBe(200);
      expect((await get(`/api/orchestrations/${id}/preview/candidates.csv`)).status).toBe(200);
      expect((await get(`/api/orchestrations/${id}/preview/accounts.csv`)).status).toBe(200);
    }
    expect(await rowCounts(db)).toEqual(before);
  });
});
