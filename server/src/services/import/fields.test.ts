import type { CanonicalEntity } from '../../domain/canonical';
import { isIsoTimestamp, parseIsoTimestamp } from './fields';
import { IMPORT_FORMATS } from './formats';

/** Every string one edit away from `text`: each character replaced by, or preceded by, each of `alphabet`, or dropped. */
function oneEditAway(text: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= text.length; i++) {
    for (const c of alphabet) {
      out.push(text.slice(0, i) + c + text.slice(i + 1), text.slice(0, i) + c + text.slice(i));
    }
    out.push(text.slice(0, i) + text.slice(i + 1));
  }
  return out;
}

describe('isIsoTimestamp', () => {
  const samples = [
    '2025-03-31',
    '2024-02-29',
    '2025-02-28T23:59:59Z',
    '2025-03-31T14:05',
    '2025-03-31 14:05:06',
    '2025-03-31t14:05:06.5z',
    '2025-03-31T14:05:06.123456789+05:30',
    '2025-03-31T14:05:06-0830',
    '2025-03-31T14:05+14',
    '2000-12-31T00:00:00.000-14:59',
  ];

  it('accepts what parseIsoTimestamp reads and refuses the rest, one edit around many forms', () => {
    const corpus = samples.flatMap((sample) => [sample, ...oneEditAway(sample, '0123459:-+.TtZz /x')]);
    expect(corpus.length).toBeGreaterThan(5_000);
    const disagreements = corpus.filter(
      (text) => isIsoTimestamp(text) !== (parseIsoTimestamp(text) !== null),
    );
    expect(disagreements).toEqual([]);
  });

  it('refuses instants that do not exist and zones out of range', () => {
    for (const text of [
      '2025-02-29',
      '1900-02-29',
      '2025-04-31',
      '2025-00-10',
      '2025-03-31T24:00',
      '2025-03-31T23:60',
      '2025-03-31T23:59:60',
      '2025-03-31T10:00+15:00',
      '2025-03-31T10:00+05:60',
      '2025-03-31T10:00+05:',
      '2025-03-31T10:00:00.1234567891Z',
      '2025-03-31Z',
      '2025-03-31T',
      '２０２５-03-31',
    ]) {
      expect([text, isIsoTimestamp(text)]).toEqual([text, false]);
    }
    expect(isIsoTimestamp('2000-02-29T10:00:00.123456789-14:59')).toBe(true);
  });
});

/** A valid row of each file, as cells by column. */
const VALID: Record<CanonicalEntity, Record<string, string>> = {
  accounts: {
    id: '001A',
    name: 'Acme, Inc.',
    domain: 'Acme.com',
    industry: 'Software',
    employees: '1200',
    annual_revenue: '1250000.50',
    country: 'de',
    naics: '5112',
    technologies: 'AWS; Salesforce;aws',
    created_at: '2024-01-01',
  },
  contacts: {
    id: '003A',
    account_id: '001A',
    email: 'Ann@Acme.com',
    first_name: 'Ann',
    last_name: 'Lee',
    title: 'VP "Growth"',
    job_level: 'vp',
    job_function: 'Marketing',
    country: 'US',
    kind: '',
    opted_out: 'yes',
    created_at: '2024-01-01T10:00:00Z',
  },
  opportunities: {
    id: '006A',
    account_id: '001A',
    name: 'Renewal',
    type: 'New Business',
    amount: '-12.5',
    currency: 'EUR',
    stage: 'Closed Won',
    is_closed: 'TRUE',
    is_won: '1',
    relevant: 'n',
    created_at: '2024-01-01',
    closed_at: '',
  },
  activities: {
    id: '00TA',
    occurred_at: '2024-07-03T03:07:33.929Z',
    account_id: '001A',
    contact_id: '',
    type: 'Keyword_Research',
    source: 'G2',
    keyword: 'AWS Pricing',
    url: 'https://example.com/a,b',
    campaign: 'Line\nbreak',
  },
  keywords: { keyword: 'SAST', product_category: 'Security', kind: 'Generic' },
};

/** Cells to try in every column: blanks, padding, case, separators, quotes and the values of each kind of field. */
const CELLS = [
  '',
  '   ',
  ' x ',
  'x',
  'X"Y',
  'a,b',
  'a\nb',
  '\u00a0',
  'x'.repeat(253),
  'x'.repeat(254),
  'x'.repeat(255),
  'x'.repeat(256),
  ` ${'x'.repeat(255)} `,
  'x'.repeat(2_049),
  'a;'.repeat(5_001),
  ' 2024-02-29 ',
  '2025-02-29',
  '2025-03-31T14:05:06+05:30',
  'yesterday',
  '0',
  '2147483647',
  '2147483648',
  '1,200',
  '-3.25',
  '1e5',
  'true',
  'No',
  'maybe',
  'us',
  'USA',
  'a@b.c',
  'a b@c.d',
  'web_visit',
  'WEB_VISIT',
  'webinar ',
  'nope',
  'lead',
  'Lead',
  'Manager',
  'c-level',
  'branded',
  'AWS;;aws; GCP',
  '{"x"}\\',
];

describe.each(Object.keys(VALID) as CanonicalEntity[])('the %s format', (entity) => {
  const format = IMPORT_FORMATS[entity];
  const inOrder = format.columns.map((_, i) => i);

  it('stages a row as one COPY CSV line: trimmed, converted, quoted where needed, blank as NULL', () => {
    const cells = format.columns.map((column) => VALID[entity][column]!);
    expect(format.stageRow(cells, inOrder)).toEqual(
      {
        accounts:
          '001A,"Acme, Inc.",acme.com,Software,1200,1250000.50,DE,5112,"{""AWS"",""Salesforce""}",2024-01-01',
        contacts:
          '003A,001A,ann@acme.com,Ann,Lee,"VP ""Growth""",VP,Marketing,US,contact,t,2024-01-01T10:00:00Z',
        opportunities: '006A,001A,Renewal,New Business,-12.5,EUR,Closed Won,t,t,f,2024-01-01,',
        activities:
          '00TA,2024-07-03T03:07:33.929Z,001A,,keyword_research,g2,aws pricing,"https://example.com/a,b","Line\nbreak"',
        keywords: 'sast,Security,generic',
      }[entity],
    );
  });

  it('accepts and rejects every cell as its zod schema does, with the same column and reason', () => {
    let rejected = 0;
    for (const column of format.columns) {
      for (const value of [...CELLS, undefined]) {
        const byName: Record<string, string | undefined> = { ...VALID[entity], [column]: value };
        // undefined: the file lacks the column. The cells come in another order than the columns.
        const present = format.columns.filter((c) => byName[c] !== undefined).reverse();
        const cells = [...present.map((c) => byName[c]!), 'extra'];
        const columnIndex = format.columns.map((c) => present.indexOf(c));
        const staged = format.stageRow(cells, columnIndex);
        const parsed = format.parseRow(byName);
        if (parsed.ok) {
          expect([column, value, typeof staged]).toEqual([column, value, 'string']);
        } else {
          rejected += 1;
          expect([column, value, staged]).toEqual([column, value, parsed]);
        }
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });
});
