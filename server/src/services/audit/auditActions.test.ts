/**
 * The action names stay in one list: every action the code records is in AUDIT_ACTIONS, and
 * every action of the list is documented in docs/audit-log.md.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_ACTIONS, isAuditAction } from './auditActions';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SOURCE = path.join(ROOT, 'server', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [file] : [];
  });
}

/** The quoted `<thing>.<verb>` names given as `action:` of each recordAudit call (ternaries too). */
function recordedActions(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SOURCE)) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/recordAudit\(/g)) {
      const after = text.slice(call.index, call.index + 1500);
      const action = /\baction:([\s\S]*?),\s*\n/.exec(after);
      for (const name of action?.[1]?.matchAll(/'([a-z_]+\.[a-z_]+)'/g) ?? []) {
        found.set(name[1]!, path.relative(ROOT, file));
      }
    }
  }
  return found;
}

describe('audit actions', () => {
  it('lists every action the code records', () => {
    const recorded = recordedActions();
    // The scan finds the wiring (27 actions of changes and pushes before users, keys and opt-outs).
    expect(recorded.size).toBeGreaterThanOrEqual(27);
    const unlisted = [...recorded]
      .filter(([name]) => !isAuditAction(name))
      .map(([name, file]) => `${name} (${file})`);
    expect(unlisted).toEqual([]);
  });

  it('documents every action of the list in docs/audit-log.md', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'audit-log.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `([a-z_]+\.[a-z_]+)`\s*\|/gm)].map((m) => m[1]));
    expect(Object.keys(AUDIT_ACTIONS).filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !isAuditAction(name!))).toEqual([]);
  });

  it('names each action <thing>.<verb> in lower case', () => {
    expect(Object.keys(AUDIT_ACTIONS).filter((name) => !/^[a-z]+\.[a-z_]+$/.test(name))).toEqual([]);
  });
});
