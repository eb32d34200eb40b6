import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ProviderContact } from '../../domain/orchestrations/types';
import { normalizeDomain } from '../../domain/orchestrations/domains';
import { AppError } from '../../errors';
import { csvRowBatches, type CsvRow } from '../../services/import/csvRows';
import type { ContactProvider, PurchaseAnswer } from './provider';
import {
  checkProviderCells,
  contactDomain,
  PROVIDER_COLUMNS,
  REQUIRED_PROVIDER_COLUMNS,
  type ProviderColumn,
} from './providerRow';

/** The file a `csv` provider's folder holds: a vendor's export (docs/providers.md). */
export const PROVIDER_FILE = 'provider_contacts.csv';

/** A row that is never offered: its line in the file (the header is line 1) and why. */
export interface BadRow {
  line: number;
  reason: string;
}

/** What reading a provider file found: the good rows, indexed, and every bad one. */
export interface ProviderFile {
  path: string;
  /** Data rows read (blank lines not counted). */
  rows: number;
  bad: BadRow[];
  byDomain: ReadonlyMap<string, readonly ProviderContact[]>;
  byId: ReadonlyMap<string, ProviderContact>;
}

/**
 * The file of each folder as last read, kept while its size and modification time stay the
 * same: a preview of a large segment searches it many times without reading it again.
 */
const cache = new Map<string, { size: number; mtimeMs: number; file: Promise<ProviderFile> }>();

/**
 * Reads `<dir>/provider_contacts.csv` (or the cached reading of it). A missing folder or file, an
 * empty file, or a header without a required column refuses the whole file (`invalid_provider`);
 * a bad row is reported and left out.
 */
export async function readProviderFile(dir: string): Promise<ProviderFile> {
  const file = path.join(dir, PROVIDER_FILE);
  await checkFolder(dir);
  const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new AppError(
      'invalid_provider',
      error.code === 'ENOENT'
        ? `${dir} holds no ${PROVIDER_FILE}: put the vendor's export there as ${file}`
        : `cannot read ${file}: ${error.code ?? error.message}`,
    );
  });
  const cached = cache.get(file);
  if (cached && cached.size === stats.size && cached.mtimeMs === stats.mtimeMs) return cached.file;
  const reading = readFile(file);
  cache.set(file, { size: stats.size, mtimeMs: stats.mtimeMs, file: reading });
  reading.catch(() => cache.delete(file));
  return reading;
}

async function checkFolder(dir: string): Promise<void> {
  const stats = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    throw new AppError(
      'invalid_provider',
      error.code === 'ENOENT'
        ? `the folder ${dir} does not exist: give the folder that holds ${PROVIDER_FILE}`
        : `cannot read the folder ${dir}: ${error.code ?? error.message}`,
    );
  });
  if (!stats.isDirectory()) {
    throw new AppError(
      'invalid_provider',
      `${dir} is not a folder: give the folder that holds ${PROVIDER_FILE}`,
    );
  }
}

async function readFile(file: string): Promise<ProviderFile> {
  const reader = new RowReader(file);
  for await (const batch of csvRowBatches(file)) {
    for (const row of batch) reader.read(row);
  }
  return reader.done();
}

/** Reads a provider file row by row: the header, then each row checked (and its id unique). */
class RowReader {
  private header: string[] | null = null;
  /** Where each provider column is in a row (-1: the file lacks it). */
  private at: number[] = [];
  private rows = 0;
  private readonly bad: BadRow[] = [];
  private readonly byDomain = new Map<string, ProviderContact[]>();
  private readonly byId = new Map<string, ProviderContact>();
  /** The line each provider id was first seen on. */
  private readonly idLines = new Map<string, number>();
  private readonly domains = new Map<string, string>();

  constructor(private readonly file: string) {}

  read(row: CsvRow): void {
    if (this.header === null) {
      this.readHeader(row);
      return;
    }
    this.rows += 1;
    const problem = this.rowProblem(row);
    if (problem) this.bad.push({ line: row.line, reason: problem });
  }

  done(): ProviderFile {
    if (this.header === null) {
      throw new AppError(
        'invalid_provider',
        `${this.file} is empty: it needs a header row naming ${PROVIDER_COLUMNS.join(', ')}`,
      );
    }
    return { path: this.file, rows: this.rows, bad: this.bad, byDomain: this.byDomain, byId: this.byId };
  }

  private readHeader(row: CsvRow): void {
    const names = row.cells.map((cell, i) =>
      (i === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim().toLowerCase(),
    );
    if (row.problem) {
      throw new AppError(
        'invalid_provider',
        `${this.file}: the header (line ${row.line}) is unreadable: ${row.problem}`,
      );
    }
    const missing = REQUIRED_PROVIDER_COLUMNS.filter((name) => !names.includes(name));
    if (missing.length > 0) {
      throw new AppError(
        'invalid_provider',
        `${this.file}: the header lacks the required column(s) ${missing.join(', ')} ` +
          `(found: ${names.join(', ') || 'nothing'}; expected: ${PROVIDER_COLUMNS.join(', ')})`,
      );
    }
    const repeated = PROVIDER_COLUMNS.filter((name) => names.indexOf(name) !== names.lastIndexOf(name));
    if (repeated.length > 0) {
      throw new AppError(
        'invalid_provider',
        `${this.file}: the header names ${repeated.join(', ')} more than once: keep one column of each`,
      );
    }
    this.header = names;
    this.at = PROVIDER_COLUMNS.map((name) => names.indexOf(name));
  }

  /** Keeps a good row; returns why a bad one is left out. */
  private rowProblem(row: CsvRow): string | null {
    if (row.problem) return `unreadable CSV: ${row.problem}`;
    if (row.cells.length !== this.header!.length) {
      return (
        `the row has ${row.cells.length} values but the header has ${this.header!.length} ` +
        '(quote a value that holds a comma: "Smith, Jr.")'
      );
    }
    const cells: Partial<Record<ProviderColumn, string>> = {};
    PROVIDER_COLUMNS.forEach((name, i) => {
      const at = this.at[i]!;
      if (at >= 0) cells[name] = row.cells[at];
    });
    const checked = checkProviderCells(cells);
    if (!checked.ok) return checked.reason;
    const { contact } = checked;
    const firstLine = this.idLines.get(contact.providerId);
    if (firstLine !== undefined) {
      return (
        `provider_id ${JSON.stringify(contact.providerId)} is already on line ${firstLine}: ` +
        'each person once (remove this row, or give it its own id)'
      );
    }
    this.idLines.set(contact.providerId, row.line);
    this.byId.set(contact.providerId, contact);
    // A company's domain is written the same on each of its people's rows: normalized once.
    let domain = this.domains.get(contact.companyDomain);
    if (domain === undefined) {
      domain = contactDomain(contact);
      this.domains.set(contact.companyDomain, domain);
    }
    const atDomain = this.byDomain.get(domain);
    if (atDomain) atDomain.push(contact);
    else this.byDomain.set(domain, [contact]);
    return null;
  }
}

/**
 * A vendor's export as a provider: search gives the good rows at the domains; a purchase costs
 * what the file says (the export is already paid for, so buying again charges nothing more at
 * the vendor: the ledger's own idempotency keeps Signalfit's charge single).
 */
export function csvProvider(name: string, dir: string): ContactProvider {
  return {
    name,
    async search(domains) {
      const file = await readProviderFile(dir);
      const found: ProviderContact[] = [];
      const seen = new Set<string>();
      for (const written of domains) {
        const domain = normalizeDomain(written);
        if (domain === null || seen.has(domain)) continue;
        seen.add(domain);
        for (const row of file.byDomain.get(domain) ?? []) found.push(row);
      }
      return found;
    },
    async purchase(providerIds) {
      const file = await readProviderFile(dir);
      return providerIds.map((providerId): PurchaseAnswer => {
        const contact = file.byId.get(providerId);
        if (contact) return { providerId, ok: true, contact, cost: contact.cost };
        return {
          providerId,
          ok: false,
          error: `${name}: no good row with provider_id ${JSON.stringify(providerId)} in ${file.path} (the file changed, or the row is bad)`,
        };
      });
    },
  };
}
