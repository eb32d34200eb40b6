/**
 * Crash safety of "Add to Outreach sequence" (issue 5): the real service (`signalfit serve`) runs
 * in a child process against the Outreach stand-in and is killed with SIGKILL right after Outreach
 * has created the prospect and before the sequence state is created. Started again, the same
 * request (with the same Idempotency-Key on the embedded store, where a dead owner is certain;
 * without one on PostgreSQL) enrolls the person once and creates no second prospect.
 */
import { cliEnv, collect, spawnCli } from '../../cli/testing';
import { mintEmbedToken, TEST_EMBED_SECRET, TEST_ORG_ID, TEST_USER_ID } from '../../http/auth/testing';
import { migrate } from '../../store/migrate';
import { processStoreTargets, type ProcessStore } from '../../store/testing';
import { ACME_ID, PEOPLE, seedIntelligenceFixture } from '../intelligence/testing';
import { OutreachConnections } from './connections';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import { ALL_SCOPES, startOutreachStandIn, TEST_SECRET_KEY } from '../../../test/outreachStandIn/testing';
import type { OutreachConfig } from '../../integrations/outreach/env';

jest.setTimeout(180_000);

describe.each(processStoreTargets('outreach-crash'))(
  'enrollment killed between prospect and sequence state, on $name',
  (factory) => {
    let standIn: OutreachStandIn;
    let config: OutreachConfig;
    let store: ProcessStore;
    // On the embedded store a dead owner is certain, so the retry may carry the same key.
    const withKey = factory.name === 'pglite';
    let sequenceId: string;
    let mailboxId: string;

    beforeAll(async () => {
      ({ standIn, config } = await startOutreachStandIn());
      sequenceId = standIn.addSequence('Crash course');
      mailboxId = standIn.addMailbox('rita@example.com', '1');
      store = await factory.create();
      const tokens = standIn.issueToken('1', ALL_SCOPES);
      await store.use(async (db) => {
        await migrate(db);
        await seedIntelligenceFixture(db);
        await new OutreachConnections({ db, config, now: () => new Date() }).save(
          { orgId: TEST_ORG_ID, userId: TEST_USER_ID },
          { ...tokens, expiresAt: new Date(Date.now() + 7200_000), scope: ALL_SCOPES.join(' ') },
          { id: '1', email: 'rita@example.com' },
        );
      });
    });
    afterAll(async () => {
      await store?.dispose();
      await standIn?.close();
    });

    const env = () =>
      cliEnv({
        ...store.env,
        PORT: '0',
        SIGNALFIT_EMBED_SECRET: TEST_EMBED_SECRET,
        SIGNALFIT_SALESFORCE_ORG_ID: TEST_ORG_ID,
        SIGNALFIT_SECRET_KEY: TEST_SECRET_KEY,
        OUTREACH_CLIENT_ID: config.clientId,
        OUTREACH_CLIENT_SECRET: config.clientSecret,
        OUTREACH_REDIRECT_URI: config.redirectUri,
        OUTREACH_API_URL: config.apiUrl,
        OUTREACH_OAUTH_URL: config.oauthUrl,
      });

    /** Starts `signalfit serve`; resolves with its URL and a bearer access token for Rita. */
    async function startService() {
      const child = spawnCli(['serve'], env());
      const exited = collect(child, 150_000);
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 60 s: ${stdout}`)), 60_000);
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          const found = /Signalfit is running at (http:\/\/\S+)/.exec(stdout);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]!);
          }
        });
        exited.then((r) => reject(new Error(`serve exited (${r.code}): ${r.stderr}`)), reject);
      });
      const exchange = await fetch(`${url}/api/embed/exchange`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          token: await mintEmbedToken({
            claims: { rid: ACME_ID, obj: 'Account', perms: ['Signalfit_Access', 'Signalfit_Sales_Actions'] },
          }),
        }),
      });
      const { accessToken } = (await exchange.json()) as { accessToken: string };
      return { child, exited, url, accessToken };
    }

    const enroll = (service: { url: string; accessToken: string }) =>
      fetch(`${service.url}/api/outreach/enrollments`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${service.accessToken}`,
          ...(withKey ? { 'Idempotency-Key': 'crash-1' } : {}),
        },
        body: JSON.stringify({ people: [PEOPLE.dana, PEOPLE.pat], sequenceId, mailboxId }),
      });

    it('enrolls once and creates no second prospect when run again', async () => {
      const first = await startService();
      standIn.onRequest = (r) => {
        if (r.method === 'POST' && r.path === '/api/v2/prospects' && r.status === 201) {
          standIn.onRequest = null;
          first.child.kill('SIGKILL');
        }
      };
      await expect(enroll(first)).rejects.toThrow();
      const killed = await first.exited;
      expect(killed.signal).toBe('SIGKILL');
      expect(standIn.prospectsWithEmail('dana@acme.example')).toHaveLength(1);
      expect(standIn.data.sequenceStates).toHaveLength(0);

      const second = await startService();
      try {
        const before = standIn.apiRequests().length;
        const res = await enroll(second);
        expect(res.status).toBe(200);
        const body = (await res.json()) as { results: { personId: string; result: string }[] };
        expect(body.results.map((r) => [r.personId, r.result])).toEqual([
          [PEOPLE.dana, 'enrolled'],
          [PEOPLE.pat, 'enrolled'],
        ]);
        // Dana's prospect was found by the search, not created again; Pat's was created.
        const calls = standIn
          .apiRequests()
          .slice(before)
          .map((r) => `${r.method} ${r.path}`);
        expect(calls.filter((c) => c === 'POST /api/v2/prospects')).toHaveLength(1);
        expect(standIn.prospectsWithEmail('dana@acme.example')).toHaveLength(1);
        expect(standIn.prospectsWithEmail('pat@acme.example')).toHaveLength(1);
        const dana = String(standIn.prospectsWithEmail('dana@acme.example')[0]!.id);
        expect(standIn.statesOf(dana)).toHaveLength(1);
        expect(standIn.data.sequenceStates).toHaveLength(2);

        // Once more: the answer is replayed (with the key) or says already_enrolled; nothing is created.
        const posts = () => standIn.apiRequests().filter((r) => r.method === 'POST').length;
        const postsBefore = posts();
        const again = (await (await enroll(second)).json()) as { results: { result: string }[] };
        expect(again.results.map((r) => r.result)).toEqual(
          withKey ? ['enrolled', 'enrolled'] : ['already_enrolled', 'already_enrolled'],
        );
        expect(posts()).toBe(postsBefore);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    });
  },
);
