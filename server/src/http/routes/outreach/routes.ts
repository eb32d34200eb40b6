import { Router, type Response } from 'express';
import { AppError } from '../../../errors';
import { OutreachApiError } from '../../../integrations/outreach/errors';
import type { OutreachConnections } from '../../../services/outreach/connections';
import {
  createConnectTicket,
  finishConnect,
  startConnect,
  CONNECT_TICKET_TTL_MS,
} from '../../../services/outreach/connectFlow';
import { enrollmentHistory } from '../../../services/outreach/enrollmentHistory';
import { enrollPeople } from '../../../services/outreach/enrollPeople';
import { runOnce } from '../../../services/outreach/idempotency';
import { can } from '../../../policies/policies';
import type { Db } from '../../../store/db';
import { allow } from '../../auth/allow';
import {
  accessOf,
  assertMayReadAccount,
  requireAccess,
  type AccessKeySource,
} from '../../auth/requireAccess';
import { parse } from '../../validate';
import {
  callbackQuery,
  connectQuery,
  enrollmentBody,
  historyQuery,
  idempotencyHeaders,
  sequencesQuery,
} from './schema';

export interface OutreachRouteDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
  /** Null when OUTREACH_CLIENT_ID is not set: the routes say Outreach is not configured. */
  outreach: OutreachConnections | null;
}

/**
 * The Outreach routes (docs/outreach.md): connect, status, sequences, mailboxes, enrollments.
 * Connecting and enrolling is `outreach.enroll` (policies.ts); the status, one's own
 * disconnection and a person's history are for whoever may read accounts.
 */
export function outreachRoutes(deps: OutreachRouteDeps): Router {
  const router = Router();
  const bearer = requireAccess(deps.keys, deps.now);
  const reader = allow('accounts.view', 'reading Outreach enrollments');
  const connection = allow('accounts.view', "reading or removing one's Outreach connection");
  const enroller = allow('outreach.enroll', 'adding people to Outreach sequences');
  const connections = (): OutreachConnections => {
    if (!deps.outreach) {
      throw new AppError(
        'outreach_not_configured',
        'Outreach is not configured on this service: set OUTREACH_CLIENT_ID, OUTREACH_CLIENT_SECRET, OUTREACH_REDIRECT_URI and SIGNALFIT_SECRET_KEY',
      );
    }
    return deps.outreach;
  };
  const userOf = (res: Response) => {
    const access = accessOf(res);
    return { orgId: access.orgId, userId: access.userId };
  };
  router.use('/api/outreach', (_req, res, next) => {
    res.set('Cache-Control', 'private, no-store');
    next();
  });

  router.get('/api/outreach/status', bearer, connection, async (_req, res) => {
    const access = accessOf(res);
    const status = deps.outreach ? await deps.outreach.status(userOf(res)) : null;
    res.json({
      configured: !!deps.outreach,
      connected: status?.connected ?? false,
      mayEnroll: can(access, 'outreach.enroll'),
      outreachEmail: status?.outreachEmail ?? null,
      connectedAt: status?.connectedAt ?? null,
    });
  });

  router.post('/api/outreach/connect-ticket', bearer, enroller, async (_req, res) => {
    const access = accessOf(res);
    connections();
    const ticket = await createConnectTicket({
      db: deps.db,
      user: { orgId: access.orgId, userId: access.userId, email: access.email },
      now: deps.now(),
    });
    res.status(201).json({
      connectUrl: `/api/outreach/connect?ticket=${encodeURIComponent(ticket)}`,
      expiresInSeconds: CONNECT_TICKET_TTL_MS / 1000,
    });
  });

  router.get('/api/outreach/connect', async (req, res) => {
    const { ticket } = parse(connectQuery, req.query);
    const url = await startConnect({ db: deps.db, connections: connections(), ticket, now: deps.now() });
    res.redirect(302, url);
  });

  router.get('/api/outreach/callback', async (req, res) => {
    const query = parse(callbackQuery, req.query);
    if (query.error || !query.code || !query.state) {
      const why = query.error_description ?? query.error ?? 'Outreach sent no authorization code';
      sendPage(res, 400, 'Outreach was not connected', why);
      return;
    }
    try {
      const done = await finishConnect({
        db: deps.db,
        connections: connections(),
        code: query.code,
        state: query.state,
        now: deps.now(),
      });
      sendPage(
        res,
        200,
        'Outreach is connected',
        `${done.outreachEmail ? `Connected as ${done.outreachEmail}. ` : ''}You can close this window and go back to Signalfit.`,
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      sendPage(res, error.code === 'unauthorized' ? 400 : 502, 'Outreach was not connected', error.message);
    }
  });

  router.delete('/api/outreach/connection', bearer, connection, async (_req, res) => {
    const removed = await connections().disconnect(userOf(res));
    res.json({ disconnected: removed });
  });

  router.get('/api/outreach/sequences', bearer, enroller, async (req, res) => {
    const { search } = parse(sequencesQuery, req.query);
    const sequences = await outreachCall(() => connections().client(userOf(res)).listSequences());
    const needle = search?.trim().toLowerCase();
    res.json({
      sequences: needle ? sequences.filter((s) => s.name.toLowerCase().includes(needle)) : sequences,
    });
  });

  router.get('/api/outreach/mailboxes', bearer, enroller, async (_req, res) => {
    const access = accessOf(res);
    const outreach = connections();
    const status = await outreach.status(userOf(res));
    if (!status.connected)
      throw new AppError('outreach_not_connected', 'connect Outreach first (Connect Outreach)');
    const client = outreach.client(userOf(res));
    const filter = status.outreachUserId
      ? { userId: status.outreachUserId }
      : { email: status.outreachEmail ?? access.email ?? '' };
    const mailboxes = filter.email === '' ? [] : await outreachCall(() => client.listMailboxes(filter));
    const usable = mailboxes.filter((m) => !m.sendDisabled);
    const own = usable.find(
      (m) => m.email && access.email && m.email.toLowerCase() === access.email.toLowerCase(),
    );
    res.json({ mailboxes, defaultMailboxId: (own ?? usable[0])?.id ?? null });
  });

  router.post('/api/outreach/enrollments', bearer, enroller, async (req, res) => {
    const access = accessOf(res);
    const body = parse(enrollmentBody, req.body);
    const key = parse(idempotencyHeaders, req.headers)['idempotency-key'];
    const outreach = connections();
    const work = () =>
      enrollPeople({
        db: deps.db,
        client: outreach.client(userOf(res)),
        access,
        people: body.people,
        sequenceId: body.sequenceId,
        mailboxId: body.mailboxId,
        sequenceName: body.sequenceName,
        now: deps.now,
      });
    if (!key) {
      res.json(await work());
      return;
    }
    const { answer, replayed } = await runOnce({
      db: deps.db,
      user: userOf(res),
      key,
      request: { people: body.people, sequenceId: body.sequenceId, mailboxId: body.mailboxId },
      now: deps.now,
      work,
    });
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.json(answer);
  });

  router.get('/api/outreach/enrollments', bearer, reader, async (req, res) => {
    const { personId } = parse(historyQuery, req.query);
    const history = await enrollmentHistory({ db: deps.db, personId });
    assertMayReadAccount(accessOf(res), history?.accountId ?? '');
    if (!history) throw new AppError('not_found', `no contact or lead with id ${personId}`);
    res.json({ personId: history.personId, attempts: history.attempts });
  });

  return router;
}

/** Outreach refusals outside an enrollment (listing sequences or mailboxes) as API errors. */
async function outreachCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof OutreachApiError)) throw error;
    if (error.status === 0) {
      throw new AppError('outreach_unavailable', `Outreach could not be reached: ${error.detail}`);
    }
    if (error.status === 429) {
      throw new AppError('outreach_rate_limited', `Outreach is rate-limiting this user: ${error.detail}`, {
        retryAt: error.retryAt?.toISOString() ?? null,
      });
    }
    if (error.status === 401) {
      throw new AppError(
        'outreach_not_connected',
        'Outreach no longer accepts this connection: connect Outreach again',
      );
    }
    throw new AppError('outreach_unavailable', `Outreach refused the call: ${error.message}`, {
      outreach: error.errors,
    });
  }
}

/** The small page the connect popup ends on (a navigation: HTML, not JSON). */
function sendPage(res: Response, status: number, title: string, message: string): void {
  const text = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${text(title)}</title></head>` +
        `<body style="font-family:sans-serif;margin:2rem"><h1>${text(title)}</h1><p>${text(message)}</p></body></html>`,
    );
}
