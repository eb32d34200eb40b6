import { Router, type Response } from 'express';
import { authorize } from '../../../policies/policies';
import { auditCsv } from '../../../services/audit/auditCsv';
import { listAudit } from '../../../services/audit/listAudit';
import type { Db } from '../../../store/db';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { auditCsvQuery, auditQuery } from './schema';

export interface AuditDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/**
 * The audit log (docs/audit-log.md), for Admins; the role is checked before the query is read:
 * - `GET /api/audit?since=&until=&actor=&action=&targetType=&limit=&before=`: a page, newest first;
 * - `GET /api/audit.csv?<same filters>`: every entry they select, as a streamed CSV download.
 */
export function auditRoutes(deps: AuditDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);

  router.get('/api/audit', auth, async (req, res) => {
    const actor = accessOf(res);
    authorize(actor, 'audit.view', 'reading the audit log');
    const query = parse(auditQuery, req.query);
    res.set('Cache-Control', 'private, no-store');
    res.json(await listAudit(deps.db, actor, query));
  });

  router.get('/api/audit.csv', auth, async (req, res) => {
    const actor = accessOf(res);
    authorize(actor, 'audit.view', 'exporting the audit log');
    const filters = parse(auditCsvQuery, req.query);
    const pieces = auditCsv(deps.db, actor, filters);
    // The first piece (the header) is read before anything is sent: a failure is still an error answer.
    const first = await pieces.next();
    let closed = false;
    res.on('close', () => (closed = true));
    res.set('Cache-Control', 'private, no-store');
    res.type('text/csv; charset=utf-8');
    res.attachment(`signalfit-audit-${deps.now().toISOString().slice(0, 10)}.csv`);
    if (!first.done) await write(res, first.value);
    for await (const piece of pieces) {
      if (closed) break;
      await write(res, piece);
    }
    res.end();
  });

  return router;
}

/** Writes with backpressure: a slow client holds the export, not the service's memory. */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
