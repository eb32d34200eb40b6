import { bundledMigrations, migrate, pendingMigrations } from './migrate';
import { testStoreTargets, useTestStore } from './testing';
import type { Db } from './db';

describe.each(testStoreTargets())('store on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  it('applies every bundled migration once and reports none pending', async () => {
    expect(await pendingMigrations(db)).toEqual([]);
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(bundledMigrations().map((m) => m.version));
  });

  it('copies CSV text, with quoting and NULLs, into a table', async () => {
    await db.copyCsv(
      'accounts',
      ['id', 'name', 'technologies', 'employees'],
      'a1,"Acme, Inc.","{aws,""go lang""}",120\na2,,{},\n',
    );
    const rows = await db.query('SELECT id, name, technologies, employees FROM accounts ORDER BY id');
    expect(rows).toEqual([
      { id: 'a1', name: 'Acme, Inc.', technologies: ['aws', 'go lang'], employees: 120 },
      { id: 'a2', name: null, technologies: [], employees: null },
    ]);
  });

  it('tells how many rows a statement changed', async () => {
    await db.query("INSERT INTO keywords (keyword) VALUES ('k1'), ('k2'), ('k3')");
    expect(await db.run("UPDATE keywords SET kind = 'generic' WHERE keyword IN ('k1', 'k2')")).toBe(2);
    expect(await db.run("DELETE FROM keywords WHERE keyword LIKE 'k%'")).toBe(3);
  });

  it('runs a named (prepared) statement again with other parameters', async () => {
    await db.query("INSERT INTO keywords (keyword) VALUES ('k1'), ('k2')");
    const sql = 'SELECT keyword FROM keywords WHERE keyword = $1';
    for (const keyword of ['k1', 'k2', 'k3', 'k1']) {
      const rows = await db.query(sql, [keyword], { name: 'store_test_keyword' });
      expect(rows).toEqual(keyword === 'k3' ? [] : [{ keyword }]);
    }
    const inside = await db.transaction((tx) => tx.query(sql, ['k2'], { name: 'store_test_keyword' }));
    expect(inside).toEqual([{ keyword: 'k2' }]);
    await db.run("DELETE FROM keywords WHERE keyword LIKE 'k%'");
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO keywords (keyword) VALUES ('sast')");
        await tx.query("INSERT INTO keywords (keyword, kind) VALUES ('dast', 'not-a-kind')");
      }),
    ).rejects.toThrow(/check constraint/);
    expect(await db.query("SELECT * FROM keywords WHERE keyword = 'sast'")).toEqual([]);
  });

  it('commits a transaction and sees its COPY inside it', async () => {
    const count = await db.transaction(async (tx) => {
      await tx.copyCsv('keywords', ['keyword', 'kind'], 'devsecops,generic\nsignalfit shield,branded\n');
      const rows = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM keywords');
      return rows[0]?.n;
    });
    expect(count).toBe(2);
    expect(await db.query('SELECT keyword FROM keywords ORDER BY keyword')).toEqual([
      { keyword: 'devsecops' },
      { keyword: 'signalfit shield' },
    ]);
  });
});
