/**
 * Where a scoring run's write goes on PostgreSQL: COPY of 1,185,170 person rows (the size of the
 * 100k-account scoring market) into variants of the contact_scores table, each in its own
 * transaction like a run, from CSV built before the clock starts (the Node side is timed apart).
 *
 *   BENCH_DATABASE_URL=postgres://… node bin/tsx.js scripts/bench/scoreWrite.ts
 *
 * Variants: the table before migration 0007 (JSON reasons per person), the narrow rows of 0007
 * (reason-set ids instead of JSON) with and without the foreign key to the run and the account
 * index, down to 0008 (primary key only), and the floor: the narrow rows into a table without
 * any index or constraint, then the same with both indexes built after the load. The rows are
 * synthetic but shaped like the market's (ids in account order, personas, reason sizes).
 */
import { ENGAGEMENT_GRADES, FIT_BANDS } from '../../server/src/domain/vocabulary';
import { copyCsvField } from '../../server/src/services/import/csvRows';
import { CONTACT_SCORE_COLUMNS } from '../../server/src/services/scoring/scoreStore';
import type { Db } from '../../server/src/store/db';
import { openPostgres } from '../../server/src/store/postgres';
import { median, PG_URL } from './benchStores';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_185_170);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCHEMA = 'bench_score_write';
const BATCH = 20_000;
const log = (line: string) => process.stderr.write(`${line}\n`);

const PERSONAS = ['Security Leader', 'Economic Buyer', 'Practitioner', 'Engineering Leader', null];
const ENGAGEMENT = ['email opens', 'email clicks', 'webinars', 'events', 'forms filled'];

function id(prefix: string, n: number): string {
  return `${prefix}pI${String(n).padStart(12, '0')}QAA`;
}

interface Person {
  contact: string;
  account: string;
  score: number;
  grade: string;
  profileScore: number;
  fit: string;
  persona: string | null;
  engagement: { text: string; weight: number }[];
  profile: { text: string; weight: number }[];
}

function people(): Person[] {
  const profiles = Array.from({ length: 350 }, (_, j) => [
    { text: `Level: ${['Director', 'Manager', 'Staff', 'VP'][j % 4]}`, weight: 0.61 + j / 1000 },
    { text: `Function: ${['Engineering', 'Security', 'Product', 'IT'][j % 4]}`, weight: 0.42 },
    { text: `Title mentions "${['security', 'devops', 'platform', 'cloud'][j % 4]}"`, weight: -0.13 },
  ]);
  return Array.from({ length: PEOPLE }, (_, i) => {
    const acts = i % 3;
    return {
      contact: id('003', i + 1),
      account: id('001', Math.floor(i / 12)),
      score: (i * 37) % 101,
      grade: ENGAGEMENT_GRADES[i % 4] as string,
      profileScore: (i * 53) % 101,
      fit: FIT_BANDS[i % 3] as string,
      persona: PERSONAS[i % 5] ?? null,
      engagement: Array.from({ length: acts }, (_, k) => ({
        text: `${k + 1 + (i % 4)} ${ENGAGEMENT[(i + k) % 5]} in the last 90 days`,
        weight: k + 1 + (i % 4),
      })),
      profile: profiles[i % 350] as Person['profile'],
    };
  });
}

const line = (values: ReadonlyArray<string | number | null>) =>
  values.map((v) => copyCsvField(v === null ? null : String(v))).join(',') + '\n';

const WIDE_COLUMNS = `run_id bigint NOT NULL, contact_id text NOT NULL, account_id text NOT NULL,
  engagement_score smallint NOT NULL CHECK (engagement_score BETWEEN 0 AND 100),
  engagement_grade text NOT NULL CHECK (engagement_grade IN ('A', 'B', 'C', 'D')),
  profile_score smallint CHECK (profile_score BETWEEN 0 AND 100),
  profile_fit text CHECK (profile_fit IN ('Strong', 'Moderate', 'Weak')), persona text`;

interface Variant {
  name: string;
  table: string;
  after?: string;
  columns: string[];
  row: (p: Person, reasonSet: (list: Person['profile']) => number) => string;
}

/** The fields every variant's row starts with (run 1). */
const scoreFields = (p: Person) => [
  1,
  p.contact,
  p.account,
  p.score,
  p.grade,
  p.profileScore,
  p.fit,
  p.persona,
];
const narrowRow = (p: Person, set: (list: Person['profile']) => number) =>
  line([...scoreFields(p), p.engagement.length ? set(p.engagement) : null, set(p.profile)]);
const NARROW = [...CONTACT_SCORE_COLUMNS];
const FK = 'REFERENCES runs (id) ON DELETE CASCADE';

/** The narrow person rows in a table with no index, constraint or key: the floor. */
const BARE_TABLE = `CREATE TABLE people (run_id bigint, contact_id text, account_id text, engagement_score smallint,
      engagement_grade text, profile_score smallint, profile_fit text, persona text,
      engagement_reasons integer, profile_reasons integer)`;

const VARIANTS: Variant[] = [
  {
    name: 'before 0007: JSON reasons per person, PK + account index + FK',
    table: `CREATE TABLE people (${WIDE_COLUMNS.replace('run_id bigint NOT NULL', `run_id bigint NOT NULL ${FK}`)},
      reasons json NOT NULL DEFAULT '{}', PRIMARY KEY (run_id, contact_id));
      CREATE INDEX ON people (run_id, account_id);`,
    columns: [...NARROW.slice(0, 8), 'reasons'],
    row: (p) => line([...scoreFields(p), JSON.stringify({ engagement: p.engagement, profile: p.profile })]),
  },
  {
    name: '0007: reason-set ids, PK + account index + FK',
    table: `CREATE TABLE people (${WIDE_COLUMNS.replace('run_id bigint NOT NULL', `run_id bigint NOT NULL ${FK}`)},
      engagement_reasons integer, profile_reasons integer, PRIMARY KEY (run_id, contact_id));
      CREATE INDEX ON people (run_id, account_id);`,
    columns: NARROW,
    row: narrowRow,
  },
  {
    name: '0007 without the foreign key (account index kept)',
    table: `CREATE TABLE people (${WIDE_COLUMNS}, engagement_reasons integer, profile_reasons integer,
      PRIMARY KEY (run_id, contact_id));
      CREATE INDEX ON people (run_id, account_id);`,
    columns: NARROW,
    row: narrowRow,
  },
  {
    name: '0007 without the account index (primary key and foreign key only)',
    table: `CREATE TABLE people (${WIDE_COLUMNS.replace('run_id bigint NOT NULL', `run_id bigint NOT NULL ${FK}`)},
      engagement_reasons integer, profile_reasons integer, PRIMARY KEY (run_id, contact_id));`,
    columns: NARROW,
    row: narrowRow,
  },
  {
    name: '0008: reason-set ids, primary key only (what a run writes now)',
    table: `CREATE TABLE people (${WIDE_COLUMNS}, engagement_reasons integer, profile_reasons integer,
      PRIMARY KEY (run_id, contact_id));`,
    columns: NARROW,
    row: narrowRow,
  },
  {
    name: 'floor: narrow rows, no index, no constraint',
    table: BARE_TABLE,
    columns: NARROW,
    row: narrowRow,
  },
  {
    name: 'floor + both indexes built after the load',
    table: BARE_TABLE,
    after: 'CREATE UNIQUE INDEX ON people (run_id, contact_id); CREATE INDEX ON people (run_id, account_id)',
    columns: NARROW,
    row: narrowRow,
  },
];

async function measure(db: Db, variant: Variant, rows: Person[]) {
  let started = Date.now();
  const sets = new Map<Person['profile'], number>();
  const keys = new Map<string, number>();
  const reasonSet = (list: Person['profile']) => {
    let n = sets.get(list);
    if (n === undefined) {
      const key = JSON.stringify(list);
      n = keys.get(key);
      if (n === undefined) keys.set(key, (n = keys.size + 1));
      sets.set(list, n);
    }
    return n;
  };
  const batches: string[] = [];
  for (let start = 0; start < rows.length; start += BATCH) {
    let csv = '';
    for (let i = start; i < Math.min(rows.length, start + BATCH); i++)
      csv += variant.row(rows[i] as Person, reasonSet);
    batches.push(csv);
  }
  const buildMs = Date.now() - started;
  const bytes = batches.reduce((sum, b) => sum + Buffer.byteLength(b), 0);
  await db.exec(`DROP TABLE IF EXISTS people; DROP TABLE IF EXISTS runs;
    CREATE TABLE runs (id bigint PRIMARY KEY); INSERT INTO runs VALUES (1); ${variant.table}`);
  await db.exec('CHECKPOINT');
  started = Date.now();
  await db.transaction(async (tx) => {
    for (const csv of batches) await tx.copyCsv('people', variant.columns, csv);
    if (variant.after) await tx.exec(variant.after);
  });
  const copyMs = Date.now() - started;
  const [size] = await db.query<{ mb: number }>(
    `SELECT round(pg_total_relation_size('people') / 1048576.0)::int AS mb`,
  );
  return { buildMs, copyMs, mb: size?.mb ?? 0, csvMb: Math.round(bytes / 1048576) };
}

async function main(): Promise<void> {
  const db = await openPostgres({ connectionString: PG_URL, schema: SCHEMA });
  try {
    const rows = people();
    for (const variant of VARIANTS) {
      const runs = [];
      for (let run = 0; run < RUNS; run++) runs.push(await measure(db, variant, rows));
      const result = {
        variant: variant.name,
        people: rows.length,
        nodeBuildSeconds: median(runs.map((r) => r.buildMs / 1000)),
        copySeconds: median(runs.map((r) => r.copyMs / 1000)),
        all: runs.map((r) => +(r.copyMs / 1000).toFixed(1)),
        csvMb: runs[0]?.csvMb,
        tableMb: runs[0]?.mb,
      };
      log(JSON.stringify(result));
      console.log(JSON.stringify(result));
    }
    await db.exec(`DROP SCHEMA ${SCHEMA} CASCADE`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
