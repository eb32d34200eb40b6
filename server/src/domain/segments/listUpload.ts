/**
 * What an uploaded list (a list segment's CSV) means, row by row: which column names the account,
 * how a domain is read, and why a row cannot be a member. The matching against the store's
 * accounts is services/segments/uploadListSegment.ts.
 */

/** The most data rows one upload may hold (the header not counted). */
export const MAX_LIST_ROWS = 100_000;

/** The columns a list may name its accounts by; when a row has both, the id wins. */
export interface ListColumns {
  accountId: number | null;
  domain: number | null;
}

/**
 * The positions of `account_id` and `domain` in a header row (names matched case-insensitively,
 * surrounding spaces and a byte-order mark ignored); null when neither is there.
 */
export function listColumns(header: readonly string[]): ListColumns | null {
  const names = header.map((cell, i) => (i === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim().toLowerCase());
  const at = (name: string) => {
    const index = names.indexOf(name);
    return index === -1 ? null : index;
  };
  const columns = { accountId: at('account_id'), domain: at('domain') };
  return columns.accountId === null && columns.domain === null ? null : columns;
}

const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * A domain as accounts keep it: lower-cased, without scheme, `www.`, port, path, query or a final
 * dot (`HTTPS://www.Acme.com/en?x=1` → `acme.com`). Null when what is left is not a host name of
 * at least two labels (letters, digits and inner hyphens, 63 characters each, 253 in all).
 */
export function normalizeDomain(text: string): string | null {
  let host = text.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.replace(/^[^/?#@]*@/, ''); // user:password@
  host = host.split(/[/?#]/, 1)[0] ?? '';
  host = host
    .replace(/:\d*$/, '')
    .replace(/\.$/, '')
    .replace(/^www\./, '');
  if (host.length === 0 || host.length > 253) return null;
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  return host;
}

/** Why a row of the list is not a member. */
export type ListRowReason =
  | 'empty'
  | 'malformed domain'
  | 'duplicate'
  | 'unknown account id'
  | 'no account with that domain'
  | 'unreadable row';

/** What a data row asks for: an account id or a normalised domain, or why it asks for nothing. */
export type ListRowKey =
  | { by: 'account_id'; value: string }
  | { by: 'domain'; value: string; written: string }
  | { by: null; value: string; reason: ListRowReason };

/** Reads one data row: the account id when it has one, else the domain. */
export function listRowKey(cells: readonly string[], columns: ListColumns): ListRowKey {
  const cell = (index: number | null) => (index === null ? '' : (cells[index] ?? '').trim());
  const id = cell(columns.accountId);
  if (id !== '') return { by: 'account_id', value: id };
  const written = cell(columns.domain);
  if (written === '') return { by: null, value: '', reason: 'empty' };
  const domain = normalizeDomain(written);
  if (domain === null) return { by: null, value: written, reason: 'malformed domain' };
  return { by: 'domain', value: domain, written };
}
