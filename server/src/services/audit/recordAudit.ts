import type { Db } from '../../store/db';
import { actorKind, actorLabel, type Actor } from '../../policies/policies';

/**
 * One entry of the audit log (migration 0019): every change and every outbound push, with who,
 * what, when and counts. `action` is a dotted verb, `<thing>.<verb>` (segment.publish,
 * outreach.enroll, salesforce.push, apikey.create…); `counts` holds the numbers a reader checks
 * (rows sent, skipped, credits…), never person data.
 */
export interface AuditEntry {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** One sentence for people: what was done, e.g. `published segment "Tier 1" to Salesforce`. */
  summary: string;
  counts?: Record<string, number>;
}

/**
 * Records `entry` as done by `actor`. Call it in the same transaction as the change when there
 * is one (pass the transaction's Db), so a change and its entry stand or fall together; for an
 * outbound push, after the push with what was sent.
 */
export async function recordAudit(
  db: Db,
  actor: Actor,
  entry: AuditEntry,
  at: Date = new Date(),
): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (at, actor, actor_kind, action, target_type, target_id, summary, counts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      at,
      actorLabel(actor),
      actorKind(actor),
      entry.action,
      entry.targetType ?? null,
      entry.targetId ?? null,
      entry.summary,
      JSON.stringify(entry.counts ?? {}),
    ],
  );
}
