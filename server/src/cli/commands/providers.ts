/**
 * `signalfit providers …` (docs/command-line.md "Providers"): the contact-data providers, added
 * as the command line's operator (policies.OPERATOR). A relative --dir is the folder under the
 * directory the command was run from.
 */
import path from 'node:path';
import { AppError } from '../../errors';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { addProvider, listProviders, type ProviderRecord } from '../../services/providers/providers';
import { reportFailure } from '../failure';

const n = (value: number) => value.toLocaleString('en-US');

export interface AddProviderOptions {
  name: string;
  type: 'csv' | 'http';
  dir?: string;
  url?: string;
  tokenEnv?: string;
}

/**
 * `providers add --name N --type csv --dir DIR` or `--type http --url U [--token-env VAR]`: prints
 * the provider, and for csv the rows read, good and bad, then each bad row as `line L: reason`.
 * Exit 0 once stored (bad rows included), 1 when nothing was stored.
 */
export async function addProviderCommand(options: AddProviderOptions): Promise<void> {
  try {
    const config = readConfig();
    const props = options.type === 'csv' ? csvProps(options) : httpProps(options, config.secretKey);
    const { provider, report } = await withStore(config, (db) =>
      addProvider({ db, actor: OPERATOR, ...props }),
    );
    const lines = [
      `added provider ${provider.id} "${provider.name}" (${provider.type}, ${locationOf(provider)})`,
    ];
    if (provider.type === 'csv') {
      lines.push(
        `${n(report.rows)} rows read, ${n(report.rows - report.bad.length)} good, ${n(report.bad.length)} bad` +
          (report.bad.length > 0 ? ' (bad rows are never offered):' : ''),
        ...report.bad.map((bad) => `line ${bad.line}: ${bad.reason}`),
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    reportFailure(error);
  }
}

function csvProps(options: AddProviderOptions) {
  if (!options.dir)
    throw new AppError('bad_request', '--type csv needs --dir <folder holding provider_contacts.csv>');
  return { name: options.name, type: 'csv' as const, dir: path.resolve(options.dir) };
}

function httpProps(options: AddProviderOptions, secretKey: string | null) {
  if (!options.url) throw new AppError('bad_request', '--type http needs --url <the adapter URL>');
  let token: string | null = null;
  if (options.tokenEnv) {
    token = process.env[options.tokenEnv]?.trim() || null;
    if (!token) {
      throw new AppError(
        'bad_request',
        `--token-env ${options.tokenEnv}: that environment variable is not set or empty`,
      );
    }
  }
  return { name: options.name, type: 'http' as const, url: options.url, token, secretKey };
}

function locationOf(provider: ProviderRecord): string {
  return 'dir' in provider.settings ? provider.settings.dir : provider.settings.url;
}

/** `providers list [--json]`. */
export async function listProvidersCommand(options: { json?: boolean }): Promise<void> {
  try {
    const providers = await withStore(readConfig(), (db) => listProviders(db));
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ providers }, null, 2)}\n`);
      return;
    }
    const rows = [
      ['name', 'id', 'type', 'location', 'added'],
      ...providers.map((p) => [p.name, String(p.id), p.type, locationOf(p), p.createdAt.slice(0, 10)]),
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    const lines = rows.map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    reportFailure(error);
  }
}
