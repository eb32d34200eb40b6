import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { captureLogger } from '../../testing';

describe.each(testStoreTargets().slice(0, 1))('the standalone app page on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  const uiDir = mkdtempSync(path.join(tmpdir(), 'signalfit-ui-'));
  writeFileSync(path.join(uiDir, 'app.js'), '// bundle');
  const app = (ready = true) =>
    createApp({ db, logger: captureLogger().logger, version: 't', uiDir, isUiReady: () => ready });

  it.each([
    '/',
    '/accounts',
    '/accounts/acct-001',
    '/people/003Ax00000SaM01',
    '/segments',
    '/segments/new',
    '/segments/upload',
    '/segments/12',
    '/segments/12/edit',
    '/reports',
    '/reports/segment-performance',
    '/reports/segment-performance?segments=3&type=stage&baseline=2026-09&analysis=2026-10',
    '/reports/model-insights?month=2026-09',
    '/orchestrations',
    '/orchestrations/new',
    '/orchestrations/7',
    '/orchestrations/7/edit',
    '/orchestrations/7/history?run=12',
    '/admin',
    '/users',
    '/optouts',
    '/audit?since=2026-11-01&action=segment',
    '/retention',
    '/offboarding',
  ])('serves the app for the deep link %s', async (link) => {
    const res = await request(app()).get(link);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('<script type="module" src="/assets/app.js"></script>');
  });

  it('serves the bundle under /assets', async () => {
    const res = await request(app()).get('/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.text).toBe('// bundle');
  });

  it('says the app is being built while the bundle is not ready (503, reloads itself)', async () => {
    const res = await request(app(false)).get('/accounts');
    expect(res.status).toBe(503);
    expect(res.text).toContain('http-equiv="refresh"');
  });

  it('leaves /embed as it was', async () => {
    const res = await request(app()).get('/embed');
    expect(res.text).toContain('/embed/assets/main.js');
  });
});
