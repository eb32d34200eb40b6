/**
 * `signalfit users …` (docs/command-line.md "Users and API keys"): the standalone app's users,
 * managed as the command line's operator (policies.OPERATOR), who acts as Admin.
 */
import { Argument, type Command } from 'commander';
import type { Role } from '../../domain/vocabulary';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import {
  createUser,
  deactivateUser,
  listUsers,
  reactivateUser,
  setUserRole,
  userView,
} from '../../services/users/manageUsers';
import type { Db } from '../../store/db';
import { runCommand } from '../failure';
import { formatTable } from '../table';
import { roleArgument } from './roleArgument';

const withConfiguredStore = <T>(work: (db: Db) => Promise<T>) => withStore(readConfig(), work);

/** Adds the `users` command group. */
export function registerUserCommands(program: Command): void {
  const group = program
    .command('users')
    .description('the people who sign in to the standalone app, and their roles (docs/users-and-keys.md)');
  group
    .command('add')
    .description('add a user who may sign in with this email; prints the user')
    .requiredOption('--email <email>', 'the email they sign in with (unique, any case)')
    .requiredOption(
      '--role <role>',
      'Admin, Operations, Marketing, Sales, Insights or View Only',
      roleArgument,
    )
    .option('--name <name>', 'their name as the app shows it')
    .action(addUserCommand);
  group
    .command('list')
    .description('every user: email, name, role, active, last sign-in')
    .option('--json', 'print the users as JSON (the answer of GET /api/users)')
    .action(listUsersCommand);
  group
    .command('set-role')
    .description("change a user's role (from their next request)")
    .argument('<email>', 'the user, by email or id')
    .addArgument(new Argument('<role>', 'the new role').argParser(roleArgument))
    .action(setRoleCommand);
  group
    .command('deactivate')
    .description('sign a user out at once and refuse their sign-ins and the API keys they own')
    .argument('<email>', 'the user, by email or id')
    .action(deactivateCommand);
  group
    .command('reactivate')
    .description('let a deactivated user sign in again (their owned API keys work again)')
    .argument('<email>', 'the user, by email or id')
    .action(reactivateCommand);
}

function addUserCommand(options: { email: string; role: Role; name?: string }): Promise<void> {
  return runCommand(async () => {
    const user = await withConfiguredStore((db) =>
      createUser(db, OPERATOR, { email: options.email, name: options.name ?? null, role: options.role }),
    );
    process.stdout.write(`added ${user.email} as ${user.role} (${user.id})\n`);
  });
}

function listUsersCommand(options: { json?: boolean }): Promise<void> {
  return runCommand(async () => {
    const users = (await withConfiguredStore((db) => listUsers(db, OPERATOR))).map(userView);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ users }, null, 2)}\n`);
      return;
    }
    if (users.length === 0) {
      process.stdout.write('no users yet: add one with signalfit users add --email E --role R\n');
      return;
    }
    const rows = [
      ['email', 'name', 'role', 'active', 'last sign-in'],
      ...users.map((u) => [
        u.email,
        u.name ?? '',
        u.role,
        u.active ? 'yes' : `no (since ${u.deactivatedAt!.slice(0, 10)})`,
        u.lastSignInAt ? `${u.lastSignInAt.slice(0, 16).replace('T', ' ')} UTC` : 'never',
      ]),
    ];
    process.stdout.write(`${formatTable(rows)}\n`);
  });
}

function setRoleCommand(email: string, role: Role): Promise<void> {
  return runCommand(async () => {
    const user = await withConfiguredStore((db) => setUserRole(db, OPERATOR, email, role));
    process.stdout.write(`${user.email} is now ${user.role}\n`);
  });
}

function deactivateCommand(email: string): Promise<void> {
  return runCommand(async () => {
    const user = await withConfiguredStore((db) => deactivateUser(db, OPERATOR, email));
    process.stdout.write(
      `deactivated ${user.email}: signed out everywhere, sign-ins and their API keys refused\n`,
    );
  });
}

function reactivateCommand(email: string): Promise<void> {
  return runCommand(async () => {
    const user = await withConfiguredStore((db) => reactivateUser(db, OPERATOR, email));
    process.stdout.write(`reactivated ${user.email} (${user.role})\n`);
  });
}
