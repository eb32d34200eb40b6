import {
  ACTIVITY_TYPES,
  CANONICAL_FILES,
  JOB_LEVELS,
  KEYWORD_KINDS,
  PERSON_KINDS,
  type CanonicalEntity,
} from '../../domain/canonical';
import {
  optionalBoolean,
  optionalChoice,
  optionalCountry,
  optionalDecimal,
  optionalEmail,
  optionalInteger,
  optionalLowerText,
  optionalText,
  optionalTimestamp,
  requiredChoice,
  requiredId,
  requiredTimestamp,
  rowParser,
  technologyList,
  limited,
  lowerCased,
  withDefault,
  type Field,
  type RowParse,
  type RowRejection,
} from './fields';

/**
 * How each canonical file is read and where it lands: the row schema (raw cells in, canonical
 * row out), the key it is upserted by, and the column types of its table.
 */
export interface ImportFormat {
  entity: CanonicalEntity;
  file: string;
  table: string;
  columns: readonly string[];
  required: readonly string[];
  /** The column rows are upserted by. */
  key: string;
  /** Whether `account_id` must name an account that exists. */
  referencesAccount: boolean;
  /** SQL type of each column, for the staging table. */
  sqlTypes: Record<string, string>;
  /** Checks one row's cells (by column name) and converts them to a canonical row. */
  parseRow(cells: Record<string, string | undefined>): RowParse;
  /**
   * Checks one row of the file and gives its COPY CSV line (a value per column, in `columns`
   * order), or why it is rejected. `columnIndex` gives, per column, its index in `cells` (-1: absent).
   */
  stageRow(cells: readonly string[], columnIndex: readonly number[]): string | RowRejection;
}

const fields: Record<CanonicalEntity, Record<string, Field<unknown>>> = {
  accounts: {
    id: requiredId,
    name: optionalText,
    domain: optionalLowerText,
    industry: optionalText,
    employees: optionalInteger,
    annual_revenue: optionalDecimal,
    country: optionalCountry,
    naics: optionalText,
    technologies: technologyList,
    created_at: optionalTimestamp,
  },
  contacts: {
    id: requiredId,
    account_id: requiredId,
    email: optionalEmail,
    first_name: optionalText,
    last_name: optionalText,
    title: optionalText,
    job_level: optionalChoice(JOB_LEVELS),
    job_function: optionalText,
    country: optionalCountry,
    kind: withDefault(optionalChoice(PERSON_KINDS), 'contact', 'contact'),
    opted_out: withDefault(optionalBoolean, false, 'f'),
    created_at: optionalTimestamp,
  },
  opportunities: {
    id: requiredId,
    account_id: requiredId,
    name: optionalText,
    type: optionalText,
    amount: optionalDecimal,
    currency: optionalText,
    stage: optionalText,
    is_closed: optionalBoolean,
    is_won: optionalBoolean,
    relevant: optionalBoolean,
    created_at: requiredTimestamp,
    closed_at: optionalTimestamp,
  },
  activities: {
    id: requiredId,
    occurred_at: requiredTimestamp,
    account_id: requiredId,
    contact_id: optionalText,
    type: requiredChoice(ACTIVITY_TYPES),
    source: optionalLowerText,
    keyword: optionalLowerText,
    url: optionalText,
    campaign: optionalText,
  },
  keywords: {
    keyword: lowerCased(requiredId),
    product_category: optionalText,
    kind: optionalChoice(KEYWORD_KINDS),
  },
};

const sqlTypes: Record<CanonicalEntity, Record<string, string>> = {
  accounts: {
    id: 'text',
    name: 'text',
    domain: 'text',
    industry: 'text',
    employees: 'integer',
    annual_revenue: 'numeric',
    country: 'text',
    naics: 'text',
    technologies: 'text[]',
    created_at: 'timestamptz',
  },
  contacts: {
    id: 'text',
    account_id: 'text',
    email: 'text',
    first_name: 'text',
    last_name: 'text',
    title: 'text',
    job_level: 'text',
    job_function: 'text',
    country: 'text',
    kind: 'text',
    opted_out: 'boolean',
    created_at: 'timestamptz',
  },
  opportunities: {
    id: 'text',
    account_id: 'text',
    name: 'text',
    type: 'text',
    amount: 'numeric',
    currency: 'text',
    stage: 'text',
    is_closed: 'boolean',
    is_won: 'boolean',
    relevant: 'boolean',
    created_at: 'timestamptz',
    closed_at: 'timestamptz',
  },
  activities: {
    id: 'text',
    occurred_at: 'timestamptz',
    account_id: 'text',
    contact_id: 'text',
    type: 'text',
    source: 'text',
    keyword: 'text',
    url: 'text',
    campaign: 'text',
  },
  keywords: { keyword: 'text', product_category: 'text', kind: 'text' },
};

/**
 * The most characters a text cell may hold, by column, in every file that has the column
 * (docs/command-line.md "Import", the limits); a longer cell rejects its row. The other columns are numbers,
 * dates, booleans or choices, bounded by their format. These keep values within what people
 * write, what the app shows and what an index entry may hold (PostgreSQL refuses one of more than
 * about 2,700 bytes: 255 characters are at most 1,020 bytes of UTF-8).
 */
export const TEXT_LIMITS: Readonly<Record<string, number>> = {
  id: 255,
  account_id: 255,
  contact_id: 255,
  name: 255,
  domain: 253, // the longest DNS name
  industry: 255,
  naics: 255,
  technologies: 10_000, // the whole ;-separated list
  email: 254, // the longest address SMTP carries
  first_name: 255,
  last_name: 255,
  title: 255,
  job_function: 255,
  type: 255,
  currency: 255,
  stage: 255,
  source: 255,
  keyword: 255,
  url: 2_048,
  campaign: 255,
  product_category: 255,
};

function rowFunctions(entityFields: Record<string, Field<unknown>>) {
  const parser = rowParser(
    Object.fromEntries(
      Object.entries(entityFields).map(([column, field]) => {
        const max = TEXT_LIMITS[column];
        return [column, max === undefined ? field : limited(field, max)];
      }),
    ),
  );
  return { parseRow: parser.parse, stageRow: parser.stage };
}

export const IMPORT_FORMATS: Record<CanonicalEntity, ImportFormat> = Object.fromEntries(
  (Object.keys(CANONICAL_FILES) as CanonicalEntity[]).map((entity) => {
    const spec = CANONICAL_FILES[entity];
    if (Object.keys(fields[entity]).join() !== spec.columns.join()) {
      throw new Error(`the fields of ${entity} must follow the canonical column order`);
    }
    const format: ImportFormat = {
      entity,
      file: spec.file,
      table: entity,
      columns: spec.columns,
      required: spec.required,
      key: entity === 'keywords' ? 'keyword' : 'id',
      referencesAccount: (spec.columns as readonly string[]).includes('account_id'),
      sqlTypes: sqlTypes[entity],
      ...rowFunctions(fields[entity]),
    };
    return [entity, format];
  }),
) as Record<CanonicalEntity, ImportFormat>;
