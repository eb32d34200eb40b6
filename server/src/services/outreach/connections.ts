import { AppError } from '../../errors';
import { OutreachClient } from '../../integrations/outreach/client';
import type { OutreachConfig } from '../../integrations/outreach/env';
import { OutreachOAuthError } from '../../integrations/outreach/errors';
import { refreshTokens, type OutreachTokens } from '../../integrations/outreach/oauth';
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
  /** Client settings (rate-limit wait bound, sleep) for the clients this hands out. */
  client?: {
    maxRateLimitWaitMs?: number;
    maxRateLimitRetries?: number;
    sleep?: (ms: number) => Promise<void>;
  };
}

/**
 * Each user's Outreach connection: tokens encrypted in `outreach_connections`, refreshed
 * REFRESH_MARGIN_MS before they expire, with one token request per user at a time: callers in
 * this process share one refresh, and instances sharing a PostgreSQL take a per-user advisory
 * lock and re-read the row, so the one that waited uses the token the other one got.
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
         connected_at = EXCLUDED.connected_at, refreshed_at = NULL`,
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
      ...this.props.client,
      onResponse,
    });
  }

  private async refresh(user: OutreachUserKey): Promise<string> {
    const owner = ownerOf(user);
    return this.props.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`outreach-token:${owner}`]);
      const row = await this.row(tx, user);
      if (!row) throw notConnected();
      // Another caller (or instance) refreshed while this one waited for the lock.
      if (!this.expiring(row)) return this.cipher.decrypt(row.access_token, owner);
      const now = this.props.now();
      let tokens: OutreachTokens;
      try {
        tokens = await refreshTokens(
          this.props.config,
          this.cipher.decrypt(row.refresh_token, owner),
          now,
          this.props.fetch,
        );
      } catch (error) {
        if (error instanceof OutreachOAuthError && error.status === 429 && new Date(row.expires_at) > now) {
          // Outreach mints one token per user a minute; the current one still works.
          return this.cipher.decrypt(row.access_token, owner);
        }
        if (
          error instanceof OutreachOAuthError &&
          (error.error === 'invalid_grant' || error.status === 401)
        ) {
          await tx.run('DELETE FROM outreach_connections WHERE org_id = $1 AND user_id = $2', [
            user.orgId,
            user.userId,
          ]);
          throw new AppError(
            'outreach_not_connected',
            'Outreach no longer accepts this connection: connect Outreach again',
          );
        }
        throw new AppError(
          'outreach_unavailable',
          `Outreach token refresh failed: ${(error as Error).message}`,
        );
      }
      await tx.run(
        `UPDATE outreach_connections SET access_token = $3, refresh_token = $4, expires_at = $5, scope = $6,
           refreshed_at = $7 WHERE org_id = $1 AND user_id = $2`,
        [
          user.orgId,
          user.userId,
          this.cipher.encrypt(tokens.accessToken, owner),
          this.cipher.encrypt(tokens.refreshToken, owner),
          tokens.expiresAt,
          tokens.scope || row.scope,
          now,
        ],
      );
      return tokens.accessToken;
    });
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
