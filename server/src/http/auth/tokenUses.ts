import type { Db } from '../../store/db';

/**
 * Records that an embed token was used. Returns false when its (issuer, jti) was used before:
 * the primary key decides, so two instances racing on one token cannot both win. Rows of
 * expired tokens are deleted on the way (a replay of those fails on `exp` anyway).
 */
export async function claimTokenUse(
  db: Db,
  use: { issuer: string; jti: string; expiresAt: Date; now: Date },
): Promise<boolean> {
  await db.run('DELETE FROM embed_token_uses WHERE expires_at < $1', [new Date(use.now.getTime() - 60_000)]);
  const inserted = await db.run(
    'INSERT INTO embed_token_uses (issuer, jti, expires_at, used_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [use.issuer, use.jti, use.expiresAt, use.now],
  );
  return inserted === 1;
}
