import express, { Router } from 'express';
import { AppError } from '../../../errors';
import { createMatchCounter } from '../../../services/accounts/matchCounts';
import { createSegment } from '../../../services/segments/createSegment';
import { deleteSegment } from '../../../services/segments/deleteSegment';
import { getSegment } from '../../../services/segments/getSegment';
import { listSegments } from '../../../services/segments/listSegments';
import { previewSegment } from '../../../services/segments/membership';
import { publishSegment } from '../../../services/segments/publishSegment';
import { findSegment } from '../../../services/segments/segmentRecords';
import { unpublishSegment } from '../../../services/segments/unpublishSegment';
import { updateSegment } from '../../../services/segments/updateSegment';
import { uploadListSegment } from '../../../services/segments/uploadListSegment';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { accountsPage, sendAccountsCsv } from '../accounts/list';
import {
  createSegmentBody,
  previewBody,
  segmentAccountsQuery,
  segmentExportQuery,
  segmentParams,
  updateSegmentBody,
  uploadQuery,
} from './schema';

export interface SegmentDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/**
 * The largest list upload accepted: 100,000 rows of ids or domains with a few other columns fit
 * well within it (the row limit itself is the use case's).
 */
export const UPLOAD_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * Segments (docs/http-api.md "Segments"): the stored segments, their history, preview, list
 * upload, members (the accounts list limited to a segment, and its CSV) and publication. `:id` is
 * the numeric id or the name. Who may do what is policies.ts's, asked first (a refused role gets
 * 403 whatever it sends) and again by the use cases.
 */
export function segmentRoutes(deps: SegmentDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const counter = createMatchCounter();
  const { db } = deps;
  const view = allow('segments.view', 'reading segments');
  const edit = (what: string) => allow('segments.edit', what);
  const publish = (what: string) => allow('segments.publish', what);

  router.get('/api/segments', auth, view, async (_req, res) => {
    const segments = await listSegments({ db, actor: accessOf(res) });
    res.set('Cache-Control', 'private, no-store');
    res.json({ segments });
  });

  router.post('/api/segments', auth, edit('creating segments'), async (req, res) => {
    const segment = await createSegment({
      db,
      actor: accessOf(res),
      input: parse(createSegmentBody, req.body),
    });
    res.status(201).json({ segment });
  });

  router.post('/api/segments/preview', auth, edit('previewing segments'), async (req, res) => {
    const body = parse(previewBody, req.body);
    res.set('Cache-Control', 'private, no-store');
    res.json(await previewSegment(db, body));
  });

  router.post(
    '/api/segments/upload',
    auth,
    edit('uploading list segments'),
    express.text({ type: ['text/csv', 'text/plain', 'application/csv'], limit: UPLOAD_LIMIT_BYTES }),
    async (req, res) => {
      const query = parse(uploadQuery, req.query);
      if (typeof req.body !== 'string') {
        throw new AppError('bad_request', 'send the list as the body with Content-Type: text/csv');
      }
      const result = await uploadListSegment({
        db,
        actor: accessOf(res),
        name: query.name,
        folder: query.folder,
        append: query.append,
        csv: req.body,
      });
      res.json(result);
    },
  );

  router.get('/api/segments/:id', auth, view, async (req, res) => {
    const { id } = parse(segmentParams, req.params);
    res.set('Cache-Control', 'private, no-store');
    res.json(await getSegment({ db, actor: accessOf(res), ref: id }));
  });

  router.patch('/api/segments/:id', auth, edit('changing segments'), async (req, res) => {
    const { id } = parse(segmentParams, req.params);
    const changes = parse(updateSegmentBody, req.body);
    res.json({ segment: await updateSegment({ db, actor: accessOf(res), ref: id, changes }) });
  });

  router.delete('/api/segments/:id', auth, edit('deleting segments'), async (req, res) => {
    const { id } = parse(segmentParams, req.params);
    await deleteSegment({ db, actor: accessOf(res), ref: id });
    res.status(204).end();
  });

  router.get('/api/segments/:id/accounts', auth, view, async (req, res) => {
    const { id } = parse(segmentParams, req.params);
    const query = parse(segmentAccountsQuery, req.query);
    const segment = await findSegment(db, id);
    res.set('Cache-Control', 'private, no-store');
    res.json(await accountsPage(db, counter, query, segment.id));
  });

  router.get(
    '/api/segments/:id/export.csv',
    auth,
    allow('exports.csv', 'exporting segments'),
    async (req, res) => {
      const { id } = parse(segmentParams, req.params);
      const query = parse(segmentExportQuery, req.query);
      const segment = await findSegment(db, id);
      const day = deps.now().toISOString().slice(0, 10);
      await sendAccountsCsv(
        res,
        db,
        query,
        `signalfit-segment-${fileSafe(segment.name)}-${day}.csv`,
        segment.id,
      );
    },
  );

  router.post('/api/segments/:id/publish', auth, publish('publishing segments'), async (req, res) => {
    const { id } = parse(segmentParams, req.params);
    res.json({ segment: await publishSegment({ db, actor: accessOf(res), ref: id }) });
  });

  router.post('/api/segments/:id/unpublish', auth, publish('unpublishing segments'), async (req, res) => {
    const { id } = parse(segmentParams, req.params);
    res.json({ segment: await unpublishSegment({ db, actor: accessOf(res), ref: id }) });
  });

  return router;
}

/** A name as part of a file name: letters, digits and dashes. */
function fileSafe(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'segment'
  );
}
