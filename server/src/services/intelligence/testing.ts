import { toSalesforceId18 } from '../../domain/salesforceId';
import type { Db } from '../../store/db';

/**
 * A small, realistic account for the intelligence tests (and the browser test): Acme Cloud with
 * four scored people, research, engagement and reach, three score runs (only one of them current)
 * and a neighbour account whose facts must never leak in.
 */
export const FIXTURE_NOW = new Date('2026-11-20T12:00:00Z');
export const ACME_ID = toSalesforceId18('001Ax00000AcMe1');
export const GLOBEX_ID = toSalesforceId18('001Ax00000GlObX');
export const PEOPLE = {
  dana: toSalesforceId18('003Ax00000DaNa1'),
  sam: toSalesforceId18('003Ax00000SaM01'),
  pat: toSalesforceId18('003Ax00000PaT01'),
  lee: toSalesforceId18('00QAx00000LeE01'),
  newbie: toSalesforceId18('003Ax00000NeW01'),
  globexGus: toSalesforceId18('003Ax00000GuS01'),
};
export const FIXTURE_PERSONAS = [
  { name: 'Economic Buyer' },
  { name: 'Security Leader' },
  { name: 'Technical Evaluator' },
  { name: 'Practitioner' },
];

const day = (iso: string) => new Date(`${iso}T09:30:00Z`);

export async function seedIntelligenceFixture(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO accounts (id, name, domain, industry, employees, annual_revenue, country)
     VALUES ($1, 'Acme Cloud', 'acme.example', 'Software', 1200, 250000000, 'US'),
            ($2, 'Globex', 'globex.example', 'Manufacturing', 300, 40000000, 'DE')`,
    [ACME_ID, GLOBEX_ID],
  );
  await db.query(
    `INSERT INTO contacts (id, account_id, email, first_name, last_name, title, job_level, job_function, kind, opted_out)
     VALUES ($1, $6, 'dana@acme.example', 'Dana', 'Chen', 'Chief Technology Officer', 'C-Level', 'Engineering', 'contact', false),
            ($2, $6, 'sam@acme.example', 'Sam', 'Okafor', 'Director of Application Security', 'Director', 'Security', 'contact', false),
            ($3, $6, 'pat@acme.example', 'Pat', 'Silva', 'Senior Software Engineer', 'Staff', 'Engineering', 'contact', false),
            ($4, $6, 'lee@acme.example', 'Lee', 'Park', 'DevOps Manager', 'Manager', 'Engineering', 'lead', true),
            ($5, $6, 'new@acme.example', 'Noor', 'Haddad', 'Office Manager', 'Manager', 'Operations', 'contact', false),
            ($7, $8, 'gus@globex.example', 'Gus', 'Meyer', 'CISO', 'C-Level', 'Security', 'contact', false)`,
    [PEOPLE.dana, PEOPLE.sam, PEOPLE.pat, PEOPLE.lee, PEOPLE.newbie, ACME_ID, PEOPLE.globexGus, GLOBEX_ID],
  );
  await db.query(
    `INSERT INTO keywords (keyword, product_category, kind) VALUES
       ('sast', 'Application Security Testing', 'generic'),
       ('sbom', 'Software Composition Analysis', 'generic'),
       ('signalfit shield', 'Signalfit Shield', 'branded')`,
  );
  const activities: [string, string, string | null, string, string | null, string | null][] = [
    // [occurred_at, account, contact, type, source, keyword]
    ['2026-11-18', ACME_ID, null, 'keyword_research', 'bombora', 'sast'],
    ['2026-11-18', ACME_ID, null, 'keyword_research', 'g2', 'sast'],
    ['2026-11-18', ACME_ID, null, 'keyword_research', 'bombora', 'sast'],
    ['2026-11-10', ACME_ID, null, 'keyword_research', 'bombora', 'sast'],
    ['2026-11-10', ACME_ID, null, 'keyword_research', 'bombora', 'sast'],
    ['2026-10-25', ACME_ID, null, 'keyword_research', 'first_party', 'sbom'],
    ['2026-10-21', ACME_ID, null, 'keyword_research', 'bombora', 'sbom'], // a day before the trend window
    ['2026-11-15', ACME_ID, null, 'keyword_research', 'bombora', 'weather forecast'], // not configured
    ['2026-11-19', ACME_ID, null, 'web_visit', 'web', null],
    ['2026-11-12', ACME_ID, null, 'web_visit', 'web', null],
    ['2026-11-17', ACME_ID, PEOPLE.sam, 'email_click', 'map', null],
    ['2026-11-16', ACME_ID, PEOPLE.sam, 'webinar', 'map', null],
    ['2026-09-01', ACME_ID, PEOPLE.dana, 'email_open', 'map', null],
    ['2026-11-14', ACME_ID, null, 'ad_impression', 'linkedin', null],
    ['2026-11-13', ACME_ID, PEOPLE.pat, 'sales_call', 'crm', null],
    ['2026-05-01', ACME_ID, PEOPLE.pat, 'sales_email', 'crm', null], // older than 90 days
    ['2026-11-21', ACME_ID, PEOPLE.sam, 'form_fill', 'map', null], // after "now"
    ['2026-11-18', GLOBEX_ID, PEOPLE.globexGus, 'keyword_research', 'bombora', 'sast'],
  ];
  let n = 0;
  for (const [at, account, contact, type, source, keyword] of activities) {
    n += 1;
    await db.query(
      `INSERT INTO activities (id, occurred_at, account_id, contact_id, type, source, keyword)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [`act-${n}`, day(at), account, contact, type, source, keyword],
    );
  }

  const run = async (asOf: string, status: string) => {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO score_runs (as_of, status, model_version) VALUES ($1, $2, 'test-1') RETURNING id::text AS id`,
      [asOf, status],
    );
    return row!.id;
  };
  const older = await run('2026-11-01', 'complete');
  const current = await run('2026-11-19', 'complete');
  const running = await run('2026-11-20', 'running');
  const accountScore = `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score,
      profile_fit, reach, qualified, qualified_since, reasons) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;
  await db.query(accountScore, [older, ACME_ID, 12, 'Awareness', 70, 'Moderate', 'Low', false, null, {}]);
  await db.query(accountScore, [
    current,
    ACME_ID,
    82,
    'Decision',
    88,
    'Strong',
    'High',
    true,
    '2026-11-10',
    {
      profile: [
        { text: 'Industry: Software', weight: 0.8 },
        { text: 'Employees: 1,000–4,999', weight: 0.5 },
        { text: 'Country: US', weight: -0.1 },
      ],
      intent: [
        { text: 'Researched "sast" 5 times in 30 days', weight: 1.2 },
        { text: 'Visited the pricing page', weight: 0.7 },
      ],
      reach: [{ text: '1 sales call in 30 days', weight: 0.4 }],
    },
  ]);
  await db.query(accountScore, [
    running,
    ACME_ID,
    99,
    'Purchase',
    99,
    'Strong',
    'High',
    true,
    '2026-11-20',
    {},
  ]);
  await db.query(accountScore, [current, GLOBEX_ID, 20, 'Target', 30, 'Weak', 'Low', false, null, {}]);

  const personScore = `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade,
      profile_score, profile_fit, persona, reasons) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
  await db.query(personScore, [older, PEOPLE.sam, ACME_ID, 10, 'D', 50, 'Moderate', 'Practitioner', {}]);
  await db.query(personScore, [current, PEOPLE.dana, ACME_ID, 35, 'C', 90, 'Strong', 'Economic Buyer', {}]);
  await db.query(personScore, [
    current,
    PEOPLE.sam,
    ACME_ID,
    91,
    'A',
    84,
    'Strong',
    'Security Leader',
    {
      engagement: [
        { text: 'Clicked an email', weight: 0.6 },
        { text: 'Attended a webinar', weight: 0.9 },
      ],
      profile: [{ text: 'Level: Director', weight: 0.7 }],
    },
  ]);
  await db.query(personScore, [current, PEOPLE.pat, ACME_ID, 12, 'D', 40, 'Weak', 'Practitioner', {}]);
  await db.query(personScore, [current, PEOPLE.lee, ACME_ID, 55, 'C', 60, 'Moderate', 'Practitioner', {}]);
  await db.query(personScore, [running, PEOPLE.pat, ACME_ID, 99, 'A', 99, 'Strong', 'Practitioner', {}]);
}
