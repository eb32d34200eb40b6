import request from 'supertest';
import type { Db } from '../../../store/db';
import { createApp } from '../../app';
import { captureLogger } from '../../testing';

// The page and its headers touch no store.
const noStore = {} as Db;

describe('GET /embed', () => {
  it('may be framed by the default Salesforce origins only, and sends no X-Frame-Options', async () => {
    const res = await request(createApp({ db: noStore, logger: captureLogger().logger, version: 't' })).get(
      '/embed',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain(
      'frame-ancestors https://*.lightning.force.com https://*.my.salesforce.com',
    );
    expect(res.text).toContain(
      '<meta name="signalfit-allowed-origins" content="https://*.lightning.force.com https://*.my.salesforce.com" />',
    );
    expect(res.text).toContain('<script type="module" src="/embed/assets/main.js"></script>');
  });

  it('uses the configured origins for both the frame-ancestors and the page', async () => {
    const app = createApp({
      db: noStore,
      logger: captureLogger().logger,
      version: 't',
      embed: { allowedOrigins: ['https://crm.example.com', 'http://127.0.0.1:8080'] },
    });
    const res = await request(app).get('/embed');
    expect(res.headers['content-security-policy']).toContain(
      'frame-ancestors https://crm.example.com http://127.0.0.1:8080',
    );
    expect(res.text).toContain('content="https://crm.example.com http://127.0.0.1:8080"');
  });

  it('does not put a token in the page or accept one in the URL', async () => {
    const res = await request(createApp({ db: noStore, logger: captureLogger().logger, version: 't' })).get(
      '/embed?token=abc',
    );
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('abc');
  });
});

describe('GET /embed while the dashboard is being built', () => {
  it('answers 503 with Retry-After, still with the framing policy', async () => {
    const app = createApp({
      db: noStore,
      logger: captureLogger().logger,
      version: 't',
      uiDir: '/nonexistent',
      isUiReady: () => false,
    });
    const res = await request(app).get('/embed');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.headers['content-security-policy']).toContain('frame-ancestors https://*.lightning.force.com');
    expect(res.text).toContain('being built');
  });
});
