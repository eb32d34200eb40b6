/**
 * `signalfit apikeys …` (docs/command-line.md "Users and API keys"): API keys for integrations,
 * managed as the command line's operator (policies.OPERATOR), who acts as Admin.
 */
import { Argument, type Command } from 'commander';
import type { Role } from '../../domain/vocabulary';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/apikeys/apiKeys';
import type { Db } from '../../store/db';
import { runCommand } from '../failure';
import { formatTable } from '../table';
import { roleArgument } from './roleArgument';

const withConfiguredStore = <T>(work: (db: Db) => Promise<T>) => withStore(readConfig(), work);

/** Adds the `apikeys` command group. */
export function registerApiKeyCommands(program: Command): void {
  const group = program
    .command('apikeys')
    .description('keys that integrations send as Authorization: Bearer sfk_… (docs/users-and-keys.md)');
  group
    .command('create')
    .description('create a key and print it, once: it is never shown again')
    .requiredOption('--name <name>', 'what uses the key (unique among live keys, any case)')
    .requiredOption('--role <role>', 'what the key may do: a role of the matrix', roleArgument)
    .option('--user <email>', 'the owning user: the key stops working while they are deactivated')
    .action(createApiKeyCommand);
  group
    .command('list')
    .description('every key: name, role, owner, first characters, created, last used, revoked')
    .option('--json', 'print the keys as JSON (the answer of GET /api/apikeys)')
    .action(listApiKeysCommand);
  group
    .command('revoke')
    .description('revoke a key: refused from its next request')
    .addArgument(new Argument('<name>', 'the live key of this name (or a key id)'))
    .action(revokeApiKeyCommand);
}

function createApiKeyCommand(options: { name: string; role: Role; user?: string }): Promise<void> {
  return runCommand(async () => {
    const { key, apiKey } = await withConfiguredStore((db) =>
      createApiKey(db, OPERATOR, { name: options.name, role: options.role, user: options.user ?? null }),
    );
    const owner = apiKey.user ? `owned by ${apiKey.user}` : 'a service key';
    process.stdout.write(
      `${key}\n` +
        `created API key "${apiKey.name}" (${apiKey.role}, ${owner}, id ${apiKey.id}). ` +
        'This key is not shown again: store it now, and send it as Authorization: Bearer <key>.\n',
    );
  });
}

function listApiKeysCommand(options: { json?: boolean }): Promise<void> {
  return runCommand(async () => {
    const apiKeys = await withConfiguredStore((db) => listApiKeys(db, OPERATOR));
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ apiKeys }, null, 2)}\n`);
      return;
    }
    if (apiKeys.length === 0) {
      process.stdout.write('no API keys yet: create one with signalfit apikeys create --name N --role R\n');
      return;
    }
    const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
    const rows = [
      ['name', 'role', 'owner', 'starts with', 'created', 'last used', 'revoked', 'id'],
      ...apiKeys.map((k) => [
        k.name,
        k.role,
        k.user ?? '(service key)',
        k.prefix,
        day(k.createdAt),
        day(k.lastUsedAt) || 'never',
        day(k.revokedAt),
        k.id,
      ]),
    ];
    process.stdout.write(`${formatTable(rows)}\n`);
  });
}

function revokeApiKeyCommand(name: string): Promise<void> {
  return runCommand(async () => {
    const apiKey = await withConfiguredStore((db) => revokeApiKey(db, OPERATOR, name));
    process.stdout.write(`revoked API key "${apiKey.name}" (${apiKey.prefix}…): refused from now on\n`);
  });
}
