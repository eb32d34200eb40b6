import { AppError } from '../../errors';
import { OutreachClient, type OutreachCallObserver } from '../../integrations/outreach/client';
import type { OutreachConfig } from '../../integrations/outreach/env';
import { OutreachOAuthError } from '../../integrations/outreach/errors';
import {
  refreshTokens,
  type OutreachTokens,
  type TokenRequestOptions,
} from '../../integrations/outreach/oauth';
import { DEFAULT_OUTBOUND_LIMITS, type OutboundLimits } from '../../integrations/outbound';
import type { Db } from '../../store/db';
import { tokenCipher, type TokenCipher } from './tokenCrypto';

/** A Signalfit user: the Salesforce org and user of the access token. */
export interface OutreachUserKey {
  orgId: string;
  userId: string;
}

/** A token is refreshed when it has less than this left (Outreach tokens last 2 hours). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface ConnectionStatus {
  connected: boolean;
  outreachUserId: string | null;
  outreachEmail: string | null;
  scope: string | null;
  connectedAt: string | null;
}

type ConnectionRow = {
  access_token: Uint8Array;
  refresh_token: Uint8Array;
  expires_at: Date;
  scope: string;
  outreach_user_id: string | null;
  outreach_email: string | null;
  connected_at: Date;
};

export interface OutreachConnectionsProps {
  db: Db;
  config: OutreachConfig;
  now: () => Date;
  /** The HTTP client of the token endpoint and the API (tests may count or fault it). */
  fetch?: typeof fetch;
  /** Deadline and retry bound of every call to Outreach (default 15 s, 2 retries). */
  outbound?: OutboundLimits;
  /** Client settings (rate-limit wait bound, sleep) for the clients this hands out. */
  client?: {
    maxRateLimitWaitMs?: number;
    maxRateLimitRetries?: number;
    sleep?: (ms: number) => Promise<void>;
  };
  /** Watches the calls of every client this hands out (metrics, /readyz). */
  observer?: OutreachCallObserver;
}

/** How often a caller waiting for another instance's refresh looks at the row again. */
const CLAIM_POLL_MS = 200;
/** A claim outlasts the token request's deadline by this much (the writes after it). */
const CLAIM_MARGIN_MS = 5_000;

/**
 * Each user's Outreach connection: tokens encrypted in `outreach_connections`, refreshed
 * REFRESH_MARGIN_MS before they expire, one token request per user at a time. The request is
 * made outside any transaction: a slow Outreach must hold no database connection and, on the
 * embedded store, not the one lock every request needs. Callers in this process share one
 * refresh; across instances sharing a PostgreSQL, the first one claims the row for the length
 * of one call (a committed `refresh_claimed_until`, not a held lock) and the others use the
 * current token while it lasts or wait for the claim to end. The new tokens are stored only if
 * the row still holds the refresh token that was used (compare-and-set): a reconnect or a
 * takeover meanwhile is never overwritten, and a refusal deletes only the row it was about.
 */
export class OutreachConnections {
  private readonly cipher: TokenCipher;
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(private readonly props: OutreachConnectionsProps) {
    this.cipher = tokenCipher(props.config.secretKey);
  }

  get config(): OutreachConfig {
    return this.props.config;
  }

  get fetchImpl(): typeof fetch {
    return this.props.fetch ?? fetch;
  }

  get limits(): OutboundLimits {
    return this.props.outbound ?? DEFAULT_OUTBOUND_LIMITS;
  }

  /** How the token requests go out (the connect flow's code exchange too). */
  get tokenRequestOptions(): TokenRequestOptions {
    return { fetch: this.props.fetch, timeoutMs: this.limits.timeoutMs };
  }

  async status(user: OutreachUserKey): Promise<ConnectionStatus> {
    const row = await this.row(this.props.db, user);
    return {
      connected: !!row,
      outreachUserId: row?.outreach_user_id ?? null,
      outreachEmail: row?.outreach_email ?? null,
      scope: row?.scope ?? null,
      connectedAt: row ? new Date(row.connected_at).toISOString() : null,
    };
  }

  async save(
    user: OutreachUserKey,
    tokens: OutreachTokens,
    outreachUser: { id: string; email: string | null } | null,
  ): Promise<void> {
    const owner = ownerOf(user);
    await this.props.db.run(
      `INSERT INTO outreach_connections
         (org_id, user_id, access_token, refresh_token, expires_at, scope, outreach_user_id, outreach_email, connected_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (org_id, user_id) DO UPDATE SET access_token = EXCLUDED.access_token,
         refresh_token = EXCLUDED.refresh_token, expires_at = EXCLUDED.expires_at, scope = EXCLUDED.scope,
         outreach_user_id = EXCLUDED.outreach_user_id, outreach_email = EXCLUDED.outreach_email,
         connected_at = EXCLUDED.connected_at, refreshed_at = NULL, refresh_claimed_until = NULL`,
      [
        user.orgId,
        user.userId,
        this.cipher.encrypt(tokens.accessToken, owner),
        this.cipher.encrypt(tokens.refreshToken, owner),
        tokens.expiresAt,
        tokens.scope,
        outreachUser?.id ?? null,
        outreachUser?.email ?? null,
        this.props.now(),
      ],
    );
  }

  async disconnect(user: OutreachUserKey): Promise<boolean> {
    return (
      (await this.props.db.run('DELETE FROM outreach_connections WHERE org_id = $1 AND user_id = $2', [
        user.orgId,
        user.userId,
      ])) > 0
    );
  }

  /** A valid access token of the user, refreshed first when it is about to expire. */
  async accessToken(user: OutreachUserKey): Promise<string> {
    const row = await this.row(this.props.db, user);
    if (!row) throw notConnected();
    if (!this.expiring(row)) return this.cipher.decrypt(row.access_token, ownerOf(user));
    const key = ownerOf(user);
    let pending = this.refreshing.get(key);
    if (!pending) {
      pending = this.refresh(user).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, pending);
    }
    return pending;
  }

  /** A client that acts as this user. */
  client(
    user: OutreachUserKey,
    onResponse?: (info: { method: string; path: string; status: number }) => void,
  ) {
    return new OutreachClient({
      apiUrl: this.props.config.apiUrl,
      accessToken: () => this.accessToken(user),
      fetch: this.props.fetch,
      now: this.props.now,
      timeoutMs: this.limits.timeoutMs,
      retries: this.limits.retries,
      ...this.props.client,
      onResponse,
      observer: this.props.observer,
    });
  }

  private async refresh(user: OutreachUserKey): Promise<string> {
    const { db } = this.props;
    const owner = ownerOf(user);
    const claimMs = this.limits.timeoutMs + CLAIM_MARGIN_MS;
    const waitUntil = Date.now() + claimMs;
    for (;;) {
      const row = await this.row(db, user);
      if (!row) throw notConnected();
      // Another instance refreshed since this caller looked.
      if (!this.expiring(row)) return this.cipher.decrypt(row.access_token, owner);
      const now = this.props.now();
      const claimed = await db.run(
        `UPDATE outreach_connections SET refresh_claimed_until = $3
          WHERE org_id = $1 AND user_id = $2 AND refresh_token = $4
            AND (refresh_claimed_until IS NULL OR refresh_claimed_until < $5)`,
        [user.orgId, user.userId, new Date(now.getTime() + claimMs), Buffer.from(row.refresh_token), now],
      );
      if (claimed === 1) return this.refreshClaimed(user, row, now);
      // Another instance is refreshing: the current token serves while it lasts.
      if (new Date(row.expires_at) > now) return this.cipher.decrypt(row.access_token, owner);
      if (Date.now() > waitUntil) {
        throw new AppError(
          'outreach_unavailable',
          'Outreach token refresh by another instance did not finish',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
    }
  }

  /** The token request, with the row claimed; its answer is stored by compare-and-set. */
  private async refreshClaimed(user: OutreachUserKey, row: ConnectionRow, now: Date): Promise<string> {
    const owner = ownerOf(user);
    const used = Buffer.from(row.refresh_token);
    let tokens: OutreachTokens;
    try {
      tokens = await refreshTokens(
        this.props.config,
        this.cipher.decrypt(row.refresh_token, owner),
        now,
        this.tokenRequestOptions,
      );
    } catch (error) {
      await this.props.db.run(
        `UPDATE outreach_connections SET refresh_claimed_until = NULL
          WHERE org_id = $1 AND user_id = $2 AND refresh_token = $3`,
        [user.orgId, user.userId, used],
      );
      return this.afterFailedRefresh(user, row, now, error);
    }
    const stored = await this.props.db.run(
      `UPDATE outreach_connections SET access_token = $3, refresh_token = $4, expires_at = $5, scope = $6,
         refreshed_at = $7, refresh_claimed_until = NULL WHERE org_id = $1 AND user_id = $2 AND refresh_token = $8`,
      [
        user.orgId,
        user.userId,
        this.cipher.encrypt(tokens.accessToken, owner),
        this.cipher.encrypt(tokens.refreshToken, owner),
        tokens.expiresAt,
        tokens.scope || row.scope,
        now,
        used,
      ],
    );
    // The row changed meanwhile (a reconnect): what is stored now wins.
    return stored === 1 ? tokens.accessToken : this.storedToken(user);
  }

  private async afterFailedRefresh(
    user: OutreachUserKey,
    row: ConnectionRow,
    now: Date,
    error: unknown,
  ): Promise<string> {
    const owner = ownerOf(user);
    if (!(error instanceof OutreachOAuthError)) throw error;
    if (error.status === 429 && new Date(row.expires_at) > now) {
      // Outreach mints one token per user a minute; the current one still works.
      return this.cipher.decrypt(row.access_token, owner);
    }
    if (error.error === 'invalid_grant' || error.status === 401) {
      // Revoked, unless the row changed meanwhile (a reconnect): then the new row stays.
      const removed = await this.props.db.run(
        'DELETE FROM outreach_connections WHERE org_id = $1 AND user_id = $2 AND refresh_token = $3',
        [user.orgId, user.userId, Buffer.from(row.refresh_token)],
      );
      if (removed === 0) return this.storedToken(user);
      throw new AppError(
        'outreach_not_connected',
        'Outreach no longer accepts this connection: connect Outreach again',
      );
    }
    throw new AppError('outreach_unavailable', `Outreach token refresh failed: ${error.message}`);
  }

  /** The access token stored now, when it is still good (after a reconnect). */
  private async storedToken(user: OutreachUserKey): Promise<string> {
    const row = await this.row(this.props.db, user);
    if (!row || new Date(row.expires_at) <= this.props.now()) throw notConnected();
    return this.cipher.decrypt(row.access_token, ownerOf(user));
  }

  private expiring(row: ConnectionRow): boolean {
    return new Date(row.expires_at).getTime() - this.props.now().getTime() < REFRESH_MARGIN_MS;
  }

  private async row(db: Db, user: OutreachUserKey): Promise<ConnectionRow | undefined> {
    const [row] = await db.query<ConnectionRow>(
      `SELECT access_token, refresh_token, expires_at, scope, outreach_user_id, outreach_email, connected_at
         FROM outreach_connections WHERE org_id = $1 AND user_id = $2`,
      [user.orgId, user.userId],
    );
    return row;
  }
}

function ownerOf(user: OutreachUserKey): string {
  return `${user.orgId}/${user.userId}`;
}

function notConnected(): AppError {
  return new AppError('outreach_not_connected', 'connect Outreach first (Connect Outreach)');
}
