import path from 'node:path';
import { z } from 'zod';
import type { ProviderType } from '../../domain/orchestrations/vocabulary';
import { AppError } from '../../errors';
import { csvProvider, readProviderFile, type BadRow } from '../../integrations/providers/csvProvider';
import { httpProvider, type BadAnswerRow } from '../../integrations/providers/httpProvider';
import type { ContactProvider } from '../../integrations/providers/provider';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { tokenCipher } from '../outreach/tokenCrypto';

/**
 * The configured contact-data providers (docs/providers.md): a `csv` provider is a folder holding
 * a vendor's export, an `http` provider an adapter's URL and (sealed with SIGNALFIT_SECRET_KEY)
 * its token. Names are unique whatever their case.
 */
export interface ProviderRecord {
  id: number;
  name: string;
  type: ProviderType;
  settings: { dir: string } | { url: string };
  createdAt: string;
  createdBy: string | null;
}

/** What checking a csv provider's file found (an http provider has nothing to check: 0 rows). */
export interface ProviderReport {
  rows: number;
  bad: BadRow[];
}

export type AddProviderProps =
  | { db: Db; name: string; type: 'csv'; dir: string; actor: Actor }
  | {
      db: Db;
      name: string;
      type: 'http';
      url: string;
      token: string | null;
      secretKey: string | null;
      actor: Actor;
    };

/** A sealed token is for one provider row: copied to another, it does not open. */
const TOKEN_PURPOSE = 'provider-tokens/v1';
const tokenOwner = (id: number) => `provider:${id}`;
const UNIQUE_VIOLATION = '23505';

const providerName = z
  .string()
  .trim()
  .min(1, 'the name is blank: give the provider a name')
  .max(100, 'the name is longer than 100 characters');
const providerUrl = z
  .url({ protocol: /^https?$/, error: 'is not an http(s) URL such as https://adapter.example.com/v1' })
  .transform((url) => url.replace(/\/+$/, ''));

/** Stored settings: what ProviderRecord shows, and for http the sealed token (base64), never shown. */
const storedSettings = z.union([
  z.object({ dir: z.string() }),
  z.object({ url: z.string(), token: z.string().nullable().optional() }),
]);

/**
 * Adds a provider. A csv provider's file is read and checked first: it is stored only when the
 * file can be read (its bad rows are reported, not a reason to refuse); an http provider's token
 * is sealed, and refused without SIGNALFIT_SECRET_KEY.
 */
export async function addProvider(
  props: AddProviderProps,
): Promise<{ provider: ProviderRecord; report: ProviderReport }> {
  const { db, actor } = props;
  authorize(actor, 'orchestrations.manage', 'adding a contact-data provider');
  const name = checked(providerName, props.name, 'name');
  let settings: { dir: string } | { url: string };
  let report: ProviderReport = { rows: 0, bad: [] };
  if (props.type === 'csv') {
    const dir = path.resolve(props.dir);
    const file = await readProviderFile(dir);
    report = { rows: file.rows, bad: file.bad };
    settings = { dir };
  } else {
    settings = { url: checked(providerUrl, props.url, 'url') };
    if (props.token && !props.secretKey) {
      throw new AppError(
        'config_invalid',
        "a provider's token is stored encrypted and SIGNALFIT_SECRET_KEY is not set: set it (32 characters or more), or add the provider without a token",
      );
    }
  }
  await assertNameFree(db, name);
  const id = await db
    .transaction(async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        'INSERT INTO contact_providers (name, type, settings, created_by) VALUES ($1, $2, $3::jsonb, $4) RETURNING id',
        [name, props.type, JSON.stringify(settings), actorLabel(actor)],
      );
      const id = Number(row!.id);
      if (props.type === 'http' && props.token) {
        // Sealed for this row's id, which exists only now.
        const sealed = tokenCipher(props.secretKey!, TOKEN_PURPOSE).encrypt(props.token, tokenOwner(id));
        await tx.run('UPDATE contact_providers SET settings = $2::jsonb WHERE id = $1', [
          id,
          JSON.stringify({ ...settings, token: sealed.toString('base64') }),
        ]);
      }
      await recordAudit(tx, actor, {
        action: 'provider.add',
        targetType: 'provider',
        targetId: String(id),
        summary: `added ${props.type} contact provider "${name}"`,
        counts: { rows: report.rows, bad: report.bad.length },
      });
      return id;
    })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw nameTaken(name);
      throw error;
    });
  return { provider: await findProvider(db, id), report };
}

function checked<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is not valid';
  throw new AppError('invalid_provider', `${field} ${JSON.stringify(value)}: ${message}`, { field });
}

async function assertNameFree(db: Db, name: string): Promise<void> {
  const [taken] = await db.query('SELECT 1 FROM contact_providers WHERE lower(name) = lower($1)', [name]);
  if (taken) throw nameTaken(name);
}

function nameTaken(name: string): AppError {
  return new AppError(
    'conflict',
    `a provider named "${name}" already exists (names are unique whatever their case): choose another name`,
  );
}

type ProviderRow = {
  id: string | number;
  name: string;
  type: ProviderType;
  settings: unknown;
  created_at: Date | string;
  created_by: string | null;
};

const COLUMNS = 'id, name, type, settings, created_at, created_by';

function settingsOf(row: ProviderRow): z.infer<typeof storedSettings> {
  const value = typeof row.settings === 'string' ? (JSON.parse(row.settings) as unknown) : row.settings;
  return storedSettings.parse(value);
}

function toRecord(row: ProviderRow): ProviderRecord {
  const settings = settingsOf(row);
  return {
    id: Number(row.id),
    name: row.name,
    type: row.type,
    settings: 'dir' in settings ? { dir: settings.dir } : { url: settings.url },
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
  };
}

/** Every provider, by name. */
export async function listProviders(db: Db): Promise<ProviderRecord[]> {
  const rows = await db.query<ProviderRow>(
    `SELECT ${COLUMNS} FROM contact_providers ORDER BY lower(name), id`,
  );
  return rows.map(toRecord);
}

async function providerRow(db: Db, ref: string | number): Promise<ProviderRow> {
  const text = String(ref).trim();
  const byId = /^\d+$/.test(text);
  const [row] = await db.query<ProviderRow>(
    `SELECT ${COLUMNS} FROM contact_providers WHERE ${byId ? 'id = $1' : 'lower(name) = lower($1)'}`,
    [text],
  );
  if (!row) {
    throw new AppError(
      'not_found',
      `no contact-data provider ${byId ? `with id ${text}` : `named "${text}"`} (signalfit providers list shows them)`,
    );
  }
  return row;
}

/** The provider `ref` names: digits are an id, anything else a name (any case); else `not_found`. */
export async function findProvider(db: Db, ref: string | number): Promise<ProviderRecord> {
  return toRecord(await providerRow(db, ref));
}

/**
 * The provider `ref` names, ready to search and buy. An http provider's token is opened with
 * `secretKey`; bad rows of its answers are told to `onBadRow` (they are never offered).
 */
export async function openProvider(
  db: Db,
  ref: string | number,
  options: { secretKey?: string | null; fetch?: typeof fetch; onBadRow?: (bad: BadAnswerRow) => void } = {},
): Promise<ContactProvider> {
  const row = await providerRow(db, ref);
  const settings = settingsOf(row);
  if ('dir' in settings) return csvProvider(row.name, settings.dir);
  let token: string | null = null;
  if (settings.token) {
    if (!options.secretKey) {
      throw new AppError(
        'config_invalid',
        `the provider "${row.name}" has a stored token and SIGNALFIT_SECRET_KEY is not set: set it to the key the token was stored with`,
      );
    }
    try {
      token = tokenCipher(options.secretKey, TOKEN_PURPOSE).decrypt(
        Buffer.from(settings.token, 'base64'),
        tokenOwner(Number(row.id)),
      );
    } catch {
      throw new AppError(
        'config_invalid',
        `the token of the provider "${row.name}" does not open with this SIGNALFIT_SECRET_KEY: set the key it was stored with, or add the provider again`,
      );
    }
  }
  return httpProvider({
    name: row.name,
    url: settings.url,
    token,
    fetch: options.fetch,
    onBadRow: options.onBadRow,
  });
}
