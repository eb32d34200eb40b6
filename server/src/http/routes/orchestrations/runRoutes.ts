import { Router, type Response } from 'express';
import type { ContactProvider } from '../../../integrations/providers/provider';
import { authorize } from '../../../policies/policies';
import type { Db } from '../../../store/db';
import { accountsCsv, candidatesCsv } from '../../../services/orchestrations/candidateFiles';
import { findOrchestration } from '../../../services/orchestrations/orchestrationRecords';
import { previewOrchestration } from '../../../services/orchestrations/previewOrchestration';
import { listRuns, recordsCsv, runDetail } from '../../../services/orchestrations/runHistory';
import { requestRun } from '../../../services/orchestrations/runOrchestration';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { orchestrationParams, recordsQuery, repushBody, runParams } from './runSchema';

export interface OrchestrationRunRouteDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** SIGNALFIT_SECRET_KEY (an HTTP provider's token). */
  secretKey?: string | null;
  /** The serve process's run worker, woken when a run is queued; none: it finds it on its next poll. */
  runs?: { wake(): void } | null;
  /** Opens a provider (tests); default: services/providers openProvider. */
  openProvider?: (db: Db, ref: number) => Promise<ContactProvider>;
}

function sendCsv(res: Response, fileName: string, body: string): void {
  res.set('Cache-Control', 'private, no-store');
  res.type('text/csv; charset=utf-8');
  res.attachment(fileName);
  res.send(body);
}

/**
 * The run side of /api/orchestrations (docs/orchestration-runs.md): preview and its files, Run
 * now, re-push, runs and their records. Mounted by routes.ts. `:id` is the numeric id or the
 * name. Who may do what is policies.ts's, checked first (a refused role gets 403 whatever it
 * sends, before its body, query or orchestration is looked at) and again by the use cases.
 */
export function orchestrationRunRoutes(deps: OrchestrationRunRouteDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;

  const preview = async (res: Response, ref: string) =>
    previewOrchestration({
      db,
      orchestration: await findOrchestration(db, ref),
      actor: accessOf(res),
      now: deps.now(),
      secretKey: deps.secretKey ?? null,
      openProvider: deps.openProvider,
    });

  router.post('/api/orchestrations/:id/preview', auth, async (req, res) => {
    authorize(accessOf(res), 'orchestrations.view', 'previewing orchestrations');
    const { id } = parse(orchestrationParams, req.params);
    const { sample, counts, credits } = await preview(res, id);
    res.set('Cache-Control', 'private, no-store');
    res.json({ sample, counts, credits });
  });

  router.get('/api/orchestrations/:id/preview/candidates.csv', auth, async (req, res) => {
    authorize(accessOf(res), 'orchestrations.view', 'previewing orchestrations');
    const { id } = parse(orchestrationParams, req.params);
    const orchestration = await findOrchestration(db, id);
    const detail = await preview(res, String(orchestration.id));
    sendCsv(res, `candidates-${orchestration.id}.csv`, candidatesCsv(orchestration.goal, detail.candidates));
  });

  router.get('/api/orchestrations/:id/preview/accounts.csv', auth, async (req, res) => {
    authorize(accessOf(res), 'orchestrations.view', 'previewing orchestrations');
    const { id } = parse(orchestrationParams, req.params);
    const orchestration = await findOrchestration(db, id);
    const detail = await preview(res, String(orchestration.id));
    sendCsv(res, `accounts-${orchestration.id}.csv`, accountsCsv(detail.accounts));
  });

  router.post('/api/orchestrations/:id/run', auth, async (req, res) => {
    authorize(accessOf(res), 'orchestrations.manage', 'running orchestrations');
    const { id } = parse(orchestrationParams, req.params);
    const run = await requestRun({
      db,
      orchestration: await findOrchestration(db, id),
      trigger: 'manual',
      actor: accessOf(res),
      now: deps.now(),
    });
    deps.runs?.wake();
    res.status(202).json({ run });
  });

  router.post('/api/orchestrations/:id/repush', auth, async (req, res) => {
    authorize(accessOf(res), 'orchestrations.manage', 'running orchestrations');
    const { id } = parse(orchestrationParams, req.params);
    const body = parse(repushBody, req.body ?? {});
    const run = await requestRun({
      db,
      orchestration: await findOrchestration(db, id),
      trigger: 'repush',
      actor: accessOf(res),
      now: deps.now(),
      repushOf: body.runId ?? null,
    });
    deps.runs?.wake();
    res.status(202).json({ run });
  });

  router.get('/api/orchestrations/:id/runs', auth, async (req, res) => {
    authorize(accessOf(res), 'orchestrations.view', 'viewing orchestration runs');
    const { id } = parse(orchestrationParams, req.params);
    const runs = await listRuns(db, await findOrchestration(db, id), accessOf(res));
    res.set('Cache-Control', 'private, no-store');
    res.json({ runs });
  });

  router.get('/api/orchestrations/:id/runs/:runId', auth, async (req, res) => {
    authorize(accessOf(res), 'orchestrations.view', 'viewing orchestration runs');
    const { id, runId } = parse(runParams, req.params);
    const { outcome } = parse(recordsQuery, req.query);
    const detail = await runDetail({
      db,
      orchestration: await findOrchestration(db, id),
      runId,
      actor: accessOf(res),
      outcome,
    });
    res.set('Cache-Control', 'private, no-store');
    res.json(detail);
  });

  router.get('/api/orchestrations/:id/runs/:runId/records.csv', auth, async (req, res) => {
    authorize(accessOf(res), 'orchestrations.view', 'viewing orchestration runs');
    const { id, runId } = parse(runParams, req.params);
    const orchestration = await findOrchestration(db, id);
    const { records } = await runDetail({ db, orchestration, runId, actor: accessOf(res) });
    sendCsv(res, `run-${runId}-records.csv`, recordsCsv(records));
  });

  return router;
}
