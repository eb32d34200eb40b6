import { OPERATOR, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import {
  createUser,
  deactivateUser,
  listUsers,
  reactivateUser,
  setUserRole,
  updateUser,
  userView,
} from './manageUsers';
import { findUserByEmail } from './users';

const AT = new Date('2026-12-01T09:00:00Z');
const LATER = new Date('2026-12-01T10:00:00Z');
const MARKETER: Actor = { userId: 'u-m', role: 'Marketing', kind: 'user', email: 'm@example.com' };

describe.each(testStoreTargets())('managing users on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  const audit = () =>
    db.query<{ action: string; actor: string; actor_kind: string; target_id: string; counts: unknown }>(
      'SELECT action, actor, actor_kind, target_id, counts FROM audit_log ORDER BY id',
    );

  afterEach(async () => {
    await db.exec('DELETE FROM user_sessions; DELETE FROM users; DELETE FROM audit_log;');
  });

  it('adds a user with a lowercased email, and records who did it', async () => {
    const user = await createUser(
      db,
      OPERATOR,
      { email: ' Ana@Example.COM ', name: 'Ana', role: 'Sales' },
      AT,
    );
    expect(userView(user)).toEqual({
      id: user.id,
      email: 'ana@example.com',
      name: 'Ana',
      role: 'Sales',
      active: true,
      externalId: null,
      lastSignInAt: null,
      createdAt: '2026-12-01T09:00:00.000Z',
      deactivatedAt: null,
    });
    expect(user.id).toMatch(/^usr_[0-9a-f]{32}$/);
    expect(await audit()).toEqual([
      {
        action: 'user.create',
        actor: 'command line',
        actor_kind: 'operator',
        target_id: user.id,
        counts: {},
      },
    ]);
  });

  it('refuses an email taken in any case, and a bad email, and changes nothing', async () => {
    await createUser(db, OPERATOR, { email: 'ana@example.com', role: 'Sales' }, AT);
    await expect(
      createUser(db, OPERATOR, { email: 'ANA@example.com', role: 'Admin' }, AT),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: 'a user with the email ana@example.com already exists: see `signalfit users list`',
    });
    await expect(
      createUser(db, OPERATOR, { email: 'ana.example.com', role: 'Admin' }, AT),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('"ana.example.com" is not an email address'),
    });
    expect((await listUsers(db, OPERATOR)).map((u) => [u.email, u.role])).toEqual([
      ['ana@example.com', 'Sales'],
    ]);
    expect((await audit()).map((entry) => entry.action)).toEqual(['user.create']);
  });

  it('is for Admins only', async () => {
    await expect(
      createUser(db, MARKETER, { email: 'b@example.com', role: 'Admin' }, AT),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: 'adding users is for the Admin roles',
    });
    await expect(listUsers(db, MARKETER)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(setUserRole(db, MARKETER, 'x@example.com', 'Admin')).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await audit()).toEqual([]);
  });

  it('changes a role by email or id, and records the change once', async () => {
    const user = await createUser(db, OPERATOR, { email: 'ana@example.com', role: 'View Only' }, AT);
    expect((await setUserRole(db, OPERATOR, 'ANA@example.com', 'Operations', LATER)).role).toBe('Operations');
    expect((await setUserRole(db, OPERATOR, user.id, 'Operations', LATER)).role).toBe('Operations');
    expect((await findUserByEmail(db, 'ana@example.com'))?.updatedAt).toEqual(LATER);
    expect((await audit()).map((entry) => entry.action)).toEqual(['user.create', 'user.set_role']);
    await expect(setUserRole(db, OPERATOR, 'nobody@example.com', 'Admin')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('deactivates: revokes the live sessions only, and reactivates', async () => {
    const user = await createUser(db, OPERATOR, { email: 'ana@example.com', role: 'Sales' }, AT);
    const other = await createUser(db, OPERATOR, { email: 'bo@example.com', role: 'Sales' }, AT);
    await db.query(
      `INSERT INTO user_sessions (id, user_id, created_at, expires_at, revoked_at) VALUES
       ('s-live-1', $1, $3, $4, NULL), ('s-live-2', $1, $3, $4, NULL),
       ('s-expired', $1, $3, $3, NULL), ('s-signed-out', $1, $3, $4, $3), ('s-other', $2, $3, $4, NULL)`,
      [user.id, other.id, AT, new Date('2026-12-02T09:00:00Z')],
    );
    const deactivated = await deactivateUser(db, OPERATOR, 'ana@example.com', LATER);
    expect([deactivated.active, deactivated.deactivatedAt]).toEqual([false, LATER]);
    const sessions = await db.query<{ id: string; revoked_at: Date | null }>(
      'SELECT id, revoked_at FROM user_sessions ORDER BY id',
    );
    expect(sessions.map((s) => [s.id, s.revoked_at && new Date(s.revoked_at).toISOString()])).toEqual([
      ['s-expired', null],
      ['s-live-1', LATER.toISOString()],
      ['s-live-2', LATER.toISOString()],
      ['s-other', null],
      ['s-signed-out', AT.toISOString()],
    ]);
    // Deactivating again changes and records nothing.
    await deactivateUser(db, OPERATOR, 'ana@example.com', LATER);
    const back = await reactivateUser(db, OPERATOR, 'ana@example.com', LATER);
    expect([back.active, back.deactivatedAt]).toEqual([true, null]);
    const entries = await audit();
    expect(entries.map((entry) => entry.action)).toEqual([
      'user.create',
      'user.create',
      'user.deactivate',
      'user.reactivate',
    ]);
    expect(entries[2]!.counts).toEqual({ sessions_revoked: 2 });
  });

  it('lets nobody but the command line deactivate or demote themselves', async () => {
    const admin = await createUser(db, OPERATOR, { email: 'root@example.com', role: 'Admin' }, AT);
    const self: Actor = { userId: admin.id, role: 'Admin', kind: 'user', email: admin.email };
    await expect(deactivateUser(db, self, admin.id)).rejects.toMatchObject({
      code: 'conflict',
      message: 'you cannot deactivate yourself: ask another Admin, or use the command line on the server',
    });
    await expect(setUserRole(db, self, admin.id, 'Sales')).rejects.toMatchObject({ code: 'conflict' });
    expect((await updateUser(db, self, admin.id, { name: 'Root' }, LATER)).name).toBe('Root');
    expect((await deactivateUser(db, OPERATOR, admin.id, LATER)).active).toBe(false);
  });
});
