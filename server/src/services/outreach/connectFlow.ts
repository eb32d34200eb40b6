import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors';
import { OutreachClient } from '../../integrations/outreach/client';
import { OutreachApiError, OutreachOAuthError } from '../../integrations/outreach/errors';
import { authorizeUrl, exchangeCode } from '../../integrations/outreach/oauth';
import type { Db } from '../../store/db';
import type { OutreachConnections, OutreachUserKey } from './connections';

/**
 * The connect flow (docs/outreach.md). A browser navigation cannot carry the dashboard's bearer
 * token, so the dashboard first asks, with the bearer, for a connect ticket: 32 random bytes,
 * good once and for CONNECT_TICKET_TTL_MS. `GET /api/outreach/connect?ticket=…` spends it and
 * sends the browser to Outreach with a fresh OAuth `state` bound to the same user; the callback
 * spends the state. Only SHA-256 hashes of tickets and states are stored.
 */
export const CONNECT_TICKET_TTL_MS = 60_000;
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export interface ConnectUser extends OutreachUserKey {
  email: string | null;
}

export async function createConnectTicket(props: { db: Db; user: ConnectUser; now: Date }): Promise<string> {
  const { db, user, now } = props;
  await db.run('DELETE FROM outreach_connect_tickets WHERE expires_at < $1', [now]);
  const ticket = randomBytes(32).toString('base64url');
  await db.run(
    'INSERT INTO outreach_connect_tickets (ticket_hash, org_id, user_id, email, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [hash(ticket), user.orgId, user.userId, user.email, new Date(now.getTime() + CONNECT_TICKET_TTL_MS)],
  );
  return ticket;
}

/** Spends a ticket and returns Outreach's authorize URL for its user. */
export async function startConnect(props: {
  db: Db;
  connections: OutreachConnections;
  ticket: string;
  now: Date;
}): Promise<string> {
  const { db, connections, ticket, now } = props;
  const [user] = await db.query<{ org_id: string; user_id: string; email: string | null }>(
    'DELETE FROM outreach_connect_tickets WHERE ticket_hash = $1 AND expires_at >= $2 RETURNING org_id, user_id, email',
    [hash(ticket), now],
  );
  if (!user) {
    throw new AppError(
      'unauthorized',
      'this connect link has expired or was already used: start again from "Connect Outreach"',
    );
  }
  await db.run('DELETE FROM outreach_oauth_states WHERE expires_at < $1', [now]);
  const state = randomBytes(32).toString('base64url');
  await db.run(
    'INSERT INTO outreach_oauth_states (state_hash, org_id, user_id, email, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [hash(state), user.org_id, user.user_id, user.email, new Date(now.getTime() + OAUTH_STATE_TTL_MS)],
  );
  return authorizeUrl(connections.config, state);
}

/**
 * Spends the state, exchanges the code for tokens, looks up the Outreach user (by the Signalfit
 * user's email, for the default mailbox) and stores the connection.
 */
export async function finishConnect(props: {
  db: Db;
  connections: OutreachConnections;
  code: string;
  state: string;
  now: Date;
}): Promise<{ outreachEmail: string | null }> {
  const { db, connections, code, state, now } = props;
  const [user] = await db.query<{ org_id: string; user_id: string; email: string | null }>(
    'DELETE FROM outreach_oauth_states WHERE state_hash = $1 AND expires_at >= $2 RETURNING org_id, user_id, email',
    [hash(state), now],
  );
  if (!user) {
    throw new AppError(
      'unauthorized',
      'this Outreach sign-in has expired or was already used: connect again',
    );
  }
  let tokens;
  try {
    tokens = await exchangeCode(connections.config, code, now, connections.tokenRequestOptions);
  } catch (error) {
    if (error instanceof OutreachOAuthError) {
      throw new AppError('outreach_unavailable', error.message);
    }
    throw error;
  }
  let outreachUser: { id: string; email: string | null } | null = null;
  if (user.email) {
    const client = new OutreachClient({
      apiUrl: connections.config.apiUrl,
      accessToken: async () => tokens.accessToken,
      fetch: connections.fetchImpl,
      timeoutMs: connections.limits.timeoutMs,
      retries: connections.limits.retries,
      maxRateLimitRetries: 0,
    });
    try {
      outreachUser = await client.findUserByEmail(user.email);
    } catch (error) {
      // The default mailbox then falls back to the email; the connection itself is fine.
      if (!(error instanceof OutreachApiError)) throw error;
    }
  }
  await connections.save({ orgId: user.org_id, userId: user.user_id }, tokens, outreachUser);
  return { outreachEmail: outreachUser?.email ?? null };
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
